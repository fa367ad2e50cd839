package io.tunnelier.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.plan.PlanFixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {
  @TempDir Path dir;

  @Test
  void sayWhichDatapathARawGreVpsGetsAndWhy() throws Exception {
    Path config = dir.resolve("peer.yaml");
    Files.writeString(config, PlanFixtures.RAW_GRE_VPS);
    // plan assumes every kernel module unless told --no-kernel-modules: ip_gre is there.
    assertThat(plan("plan", "--config", config.toString()))
        .contains(
            "(USERSPACE: the peer is learned from its packets (no peerEndpoint), and a kernel gre"
                + " device needs a fixed remote)");
    Files.writeString(config, PlanFixtures.RAW_GRE_FIXED_PEER);
    assertThat(plan("plan", "--config", config.toString()))
        .contains("(KERNEL: the kernel has the gre module)");
  }

  private static String plan(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int code;
    try {
      code =
          Main.execute(
              args,
              (kind, config) -> {
                throw new java.io.IOException("no datapath in a unit test");
              });
    } finally {
      System.setOut(saved);
    }
    assertThat(code).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }
}
