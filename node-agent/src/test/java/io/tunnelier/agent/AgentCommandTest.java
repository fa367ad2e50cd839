package io.tunnelier.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AgentCommandTest {
  @Test
  void aResyncLongerThanAMinuteIsRefusedBeforeAnythingStarts() {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code =
          Main.execute(
              new String[] {"agent", "--node-name", "node-a", "--resync-period", "5m"},
              (kind, config) -> {
                throw new java.io.IOException("no datapath in a unit test");
              });
    } finally {
      System.setErr(saved);
    }
    assertThat(code).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--resync-period: 300s is too long for agent mode, at most 60s");
  }
}
