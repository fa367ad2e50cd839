package io.tunnelier.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Lab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway agent killed (SIGKILL to it and its ip/nft children, as a container runtime does)
 * while it applies a large state, then restarted: it converges to exactly what a clean start
 * produces, with no leftover link, rule, route or nftables object; after a change made while it was
 * down it removes what is no longer wanted; and {@code agent --cleanup} leaves nothing of it while
 * the host's own objects stay.
 */
class AgentRestartIT {
  static final Duration CONVERGE = Duration.ofSeconds(90);
  static final int PODS = 1500;

  @BeforeAll
  static void needsLab() {
    Lab.assumeAvailable();
  }

  static List<String> podIps(int count) {
    List<String> ips = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ips.add("100.65." + (i / 250) + "." + (i % 250 + 1));
    }
    return ips;
  }

  @Test
  void killedMidApplyAndRestartedConvergesAndLeaksNothing() throws Exception {
    try (EgressLab lab = new EgressLab()) {
      lab.write("cluster.yaml", lab.clusterYaml(true, podIps(PODS)));
      String hostRulesBefore = lab.gw.execOk("ip", "-j", "rule", "show");
      String mainRoutesBefore = lab.gw.execOk("ip", "-j", "route", "show", "table", "main");
      // Every pod's rule (the lab's two and PODS more), and the one for replies to node-b's pod.
      int expectedRules = PODS + 3;

      // Reference: a clean start from nothing.
      AgentProcess first = lab.gatewayAgent("1h", "--metrics-port", "-1");
      lab.await(
          "clean start converged",
          CONVERGE,
          () -> Census.of(lab.gw).rules() == expectedRules && Census.of(lab.gw).nftObjects() > 0);
      Census reference = Census.of(lab.gw);
      first.stop();
      runCleanup(lab);
      assertThat(Census.of(lab.gw).empty()).as(Census.of(lab.gw).counts()).isTrue();

      // Kill it while it applies: as soon as some, not all, of its rules are in the kernel.
      AgentProcess victim = lab.gatewayAgent("1h", "--metrics-port", "-1");
      Census atKill = null;
      long deadline = System.nanoTime() + CONVERGE.toNanos();
      while (System.nanoTime() < deadline) {
        Census c = Census.of(lab.gw);
        if (c.rules() > 0 || c.nftObjects() > 0 || !c.links().isEmpty()) {
          victim.killHard();
          atKill = Census.of(lab.gw);
          break;
        }
        Thread.sleep(20);
      }
      assertThat(atKill).as("the agent never started applying").isNotNull();
      System.out.println(
          "[restart] killed the agent with "
              + atKill.counts()
              + " in place; a full apply is "
              + reference.counts());

      // Restarted, it converges to exactly the reference.
      lab.gatewayAgent("1h", "--metrics-port", "-1");
      lab.await(
          "restarted agent converged",
          CONVERGE,
          () -> Census.of(lab.gw).counts().equals(reference.counts()));
      assertThat(Census.of(lab.gw).links()).isEqualTo(reference.links());

      // Changed while it was down: half the pods gone. A restart removes exactly their rules.
      AgentProcess current = lastAgent(lab);
      current.killHard();
      lab.write("cluster.yaml", lab.clusterYaml(true, podIps(PODS / 2)));
      lab.gatewayAgent("1h", "--metrics-port", "-1");
      lab.await("stale rules removed", CONVERGE, () -> Census.of(lab.gw).rules() == PODS / 2 + 3);
      assertThat(Census.of(lab.gw).links()).isEqualTo(reference.links());
      assertThat(
              lab.gw.execOk(
                  "nft", "list", "set", "inet", "tunnelier", "pods_" + EgressLab.ID.hash()))
          .contains("100.65.2.250")
          .doesNotContain("100.65.3.1,")
          .doesNotContain("100.65.5.");

      // Cleanup removes everything of ours and nothing else.
      lastAgent(lab).killHard();
      runCleanup(lab);
      assertThat(Census.of(lab.gw).empty()).as(Census.of(lab.gw).counts()).isTrue();
      assertThat(lab.gw.execOk("ip", "-j", "rule", "show")).isEqualTo(hostRulesBefore);
      assertThat(lab.gw.execOk("ip", "-j", "route", "show", "table", "main"))
          .isEqualTo(mainRoutesBefore);
      assertThat(lab.gw.execOk("ip", "link", "show", "dev", "eth0")).contains("UP");
    }
  }

  private static AgentProcess lastAgent(EgressLab lab) {
    return lab.agents().get(lab.agents().size() - 1);
  }

  private static void runCleanup(EgressLab lab) {
    Exec.Result r = AgentProcess.run(lab.gw, Duration.ofSeconds(60), "agent", "--cleanup");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
  }
}
