package io.tunnelier.agent.datapath.gre;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.kernel.CommandRunner;
import io.tunnelier.agent.kernel.ProcessRunner;
import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernel's own gre device ({@link KernelGreDatapath}) against our userspace datapath, where the
 * kernel has ip_gre (and fou for GRE-in-UDP). These machines have no GRE module: the test says so
 * and is skipped.
 */
class KernelGreIT {
  private static Path dir;

  @BeforeAll
  static void needsKernelGre() throws Exception {
    Lab.assumeAvailable();
    String reason;
    try (Lab lab = Lab.create()) {
      Netns probe = lab.netns("probe");
      reason = KernelGreDatapathFactory.unavailableReason(inside(probe));
    }
    if (reason != null) {
      System.err.println("[kernel-gre] SKIPPED: " + reason);
    }
    Assumptions.assumeTrue(reason == null, reason);
    dir = Files.createTempDirectory("kernel-gre");
  }

  private static CommandRunner inside(Netns ns) {
    return new ProcessRunner(Duration.ofSeconds(30))
        .prefixed(List.of("ip", "netns", "exec", ns.name()));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"raw", "udp"})
  void kernelGreAndUserspaceGreTalk(String mode) throws Exception {
    try (Lab lab = Lab.create()) {
      Netns node = lab.netns("node");
      Netns vps = lab.netns("vps");
      lab.veth(node, "eth0", "192.0.2.1/24", vps, "eth0", "192.0.2.2/24");
      boolean udp = mode.equals("udp");
      if (udp) {
        // GRE-in-UDP in the kernel is gre with FOU encapsulation: needs the fou module too.
        Exec.Result fou = node.exec("ip", "fou", "add", "port", "4999", "ipproto", "47");
        if (fou.exitCode() != 0) {
          System.err.println("[kernel-gre] SKIPPED GRE-in-UDP: no fou: " + fou.stderr().strip());
        }
        Assumptions.assumeTrue(fou.exitCode() == 0, "no fou: " + fou.stderr());
        node.exec("ip", "fou", "del", "port", "4999");
      }
      GreProcess.start(
          vps,
          dir,
          List.of("device=tnl0,mode=" + mode + ",local=192.0.2.2,key=4242,address=100.64.0.2/30"));
      KernelGreDatapathFactory factory = new KernelGreDatapathFactory(inside(node), peer -> 1500);
      try (Datapath kernel =
          factory.open(
              new DatapathConfig.Gre(
                  "tnl0",
                  0,
                  udp,
                  new InetSocketAddress("192.0.2.1", 0),
                  0,
                  new InetSocketAddress("192.0.2.2", 0),
                  4242L,
                  false,
                  false))) {
        node.ip("addr add 100.64.0.1/30 dev tnl0");
        Exec.Result ping =
            node.exec(Duration.ofSeconds(20), "ping", "-c", "3", "-W", "3", "100.64.0.2");
        assertThat(ping.exitCode()).as(ping.stdout()).isZero();
        assertThat(kernel.stats().txPackets()).isGreaterThanOrEqualTo(3);
      }
      assertThat(node.exec("ip", "link", "show", "tnl0").exitCode()).isNotZero();
    }
  }
}
