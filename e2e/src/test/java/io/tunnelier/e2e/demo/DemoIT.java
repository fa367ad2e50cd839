package io.tunnelier.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.tunnelier.e2e.lab.ClusterLab;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The README's demo runs every file in examples/ (the code path {@code e2e/bin/demo <example>}
 * takes, with its page captured): each run waits until the example does what it says (selected pods
 * leave through the VPS for the example's destinations and directly for the rest; two clusters
 * reach each other by pod IP) and fails otherwise. A new example is picked up by itself.
 */
class DemoIT {
  static List<String> examples() {
    return Demo.examples();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void runsTheExample(String example) {
    ByteArrayOutputStream page = new ByteArrayOutputStream();
    Demo demo = new Demo(new PrintStream(page, true, StandardCharsets.UTF_8));
    try {
      assertThatCode(() -> demo.run(example)).doesNotThrowAnyException();
    } finally {
      System.out.println("[demo " + example + "]\n" + page.toString(StandardCharsets.UTF_8));
    }
    String shown = page.toString(StandardCharsets.UTF_8);
    assertThat(shown).contains("get tunnels").contains("True");
    if (example.startsWith("site-to-site")) {
      assertThat(shown).contains("(the client's pod IP)");
    } else {
      assertThat(shown).contains("-> " + ClusterLab.VPS_ADDRESS);
    }
  }
}
