package io.tunnelier.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LabIT {
  @BeforeAll
  static void needsLab() {
    Lab.assumeAvailable();
  }

  @Test
  void twoHostsPingEachOtherAndEverythingIsRemovedOnClose() {
    String prefix;
    try (Lab lab = Lab.create()) {
      prefix = lab.prefix();
      Netns a = lab.netns("a");
      Netns b = lab.netns("b");
      lab.veth(a, "eth0", "192.0.2.1/24", b, "eth0", "192.0.2.2/24");
      assertThat(a.exec("ping", "-c", "1", "-W", "2", "192.0.2.2").exitCode()).isZero();
      b.spawn(null, "sleep", "600");
    }
    String left =
        Exec.run(java.time.Duration.ofSeconds(5), List.of("ip", "netns", "list")).stdout();
    assertThat(left).doesNotContain(prefix);
  }
}
