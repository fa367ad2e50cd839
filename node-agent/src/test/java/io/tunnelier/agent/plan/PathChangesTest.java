package io.tunnelier.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which pods' flows start over, on each node, when the cluster changes: table-driven over the real
 * planner. The cluster: node-a is the active gateway (pod scraper-1, 100.64.1.5), node-b a member
 * (selected scraper-2, 100.64.2.7; unselected web-1, 100.64.2.9), node-c a standby without pods.
 */
class PathChangesTest {
  /** The cluster before and after one change: Tunnels and pods. */
  record Cluster(List<Tunnel> tunnels, List<PodInfo> pods) {
    static Cluster initial() {
      return new Cluster(List.of(Fixtures.egress("egress", Encapsulation.GRE)), Fixtures.pods());
    }

    Cluster relabel(String pod, String app) {
      List<PodInfo> changed = new ArrayList<>();
      for (PodInfo p : pods) {
        changed.add(
            p.name().equals(pod)
                ? new PodInfo(
                    p.namespace(),
                    p.name(),
                    Map.of("app", app),
                    p.ip(),
                    p.nodeName(),
                    p.hostNetwork(),
                    p.finished(),
                    p.terminating(),
                    p.ipv6())
                : p);
      }
      return new Cluster(tunnels, changed);
    }

    Cluster withPod(PodInfo pod) {
      List<PodInfo> more = new ArrayList<>(pods);
      more.add(pod);
      return new Cluster(tunnels, more);
    }

    Cluster withTunnel(Tunnel t) {
      List<Tunnel> more = new ArrayList<>(tunnels);
      more.add(t);
      return new Cluster(more, pods);
    }

    Cluster editTunnel(UnaryOperator<Tunnel> edit) {
      return new Cluster(tunnels.stream().map(t -> edit.apply(copy(t))).toList(), pods);
    }

    List<TunnelPlan> plans(String node) {
      ClusterSnapshot s =
          new ClusterSnapshot(
              tunnels,
              Fixtures.nodes(),
              pods,
              Map.of("scraping/egress", new TunnelKeys(null, null)));
      return ClusterPlanner.plan(s, Fixtures.ctx(node, Capabilities.NO_TUNNEL_MODULES));
    }
  }

  static Tunnel copy(Tunnel t) {
    return io.fabric8.kubernetes.client.utils.Serialization.clone(t);
  }

  static Tunnel webTunnel() {
    Tunnel t = Fixtures.egress("web-egress", Encapsulation.GRE);
    LabelSelector web = new LabelSelector();
    web.setMatchLabels(Map.of("app", "web"));
    t.getSpec().getEgress().setPodSelector(web);
    return t;
  }

  static Stream<Arguments> changes() {
    Cluster c = Cluster.initial();
    PodInfo dualStack =
        new PodInfo(
            "scraping",
            "v6",
            Map.of("app", "web"),
            "100.64.2.20",
            "node-b",
            false,
            false,
            false,
            List.of("fd00::20"));
    return Stream.of(
        // name, before, after, changed on node-a (gateway), node-b (member), node-c (standby)
        Arguments.of("nothing", c, c, List.of(), List.of(), List.of()),
        Arguments.of(
            "an unselected pod starts",
            c,
            c.withPod(Fixtures.pod("web-2", "100.64.2.30", "node-b", "web")),
            List.of(),
            List.of(),
            List.of()),
        Arguments.of(
            "the MTU changes",
            c,
            c.editTunnel(
                t -> {
                  t.getSpec().setMtu(1300);
                  return t;
                }),
            List.of(),
            List.of(),
            List.of()),
        Arguments.of(
            "a member's pod is selected",
            c,
            c.relabel("web-1", "scraper"),
            List.of("100.64.2.9"),
            List.of("100.64.2.9"),
            List.of()),
        Arguments.of(
            "a member's pod is no longer selected",
            c,
            c.relabel("scraper-2", "web"),
            List.of("100.64.2.7"),
            List.of("100.64.2.7"),
            List.of()),
        Arguments.of(
            "the gateway's own pod is no longer selected",
            c,
            c.relabel("scraper-1", "web"),
            List.of("100.64.1.5"),
            List.of(),
            List.of()),
        Arguments.of(
            "a pod moves to another Tunnel",
            c.withTunnel(webTunnel()),
            c.withTunnel(webTunnel()).relabel("web-1", "scraper"),
            List.of("100.64.2.9"),
            List.of("100.64.2.9"),
            List.of()),
        Arguments.of(
            "the active gateway moves to node-c",
            c,
            c.editTunnel(
                t -> {
                  t.setStatus(Fixtures.status("node-c"));
                  return t;
                }),
            List.of("100.64.1.5", "100.64.2.7"),
            List.of("100.64.2.7"),
            List.of("100.64.1.5", "100.64.2.7")),
        Arguments.of(
            "the tunnel's addresses are allocated (kill switch only until then)",
            c.editTunnel(
                t -> {
                  t.getStatus().setTunnelAddress(null);
                  t.getStatus().setPeerAddress(null);
                  return t;
                }),
            c,
            List.of("100.64.1.5", "100.64.2.7"),
            List.of("100.64.2.7"),
            List.of()),
        Arguments.of(
            "the Tunnel's destinations change: every selected pod's flows start over",
            c,
            c.editTunnel(
                t -> {
                  t.getSpec().getEgress().setDestinations(List.of("203.0.113.0/24"));
                  return t;
                }),
            List.of("100.64.1.5", "100.64.2.7"),
            List.of("100.64.2.7"),
            List.of()),
        Arguments.of(
            "a destination is excluded",
            c,
            c.editTunnel(
                t -> {
                  t.getSpec().getEgress().setExcludedDestinations(List.of("198.51.100.0/24"));
                  return t;
                }),
            List.of("100.64.1.5", "100.64.2.7"),
            List.of("100.64.2.7"),
            List.of()),
        Arguments.of(
            "a dual-stack pod is selected: its IPv6 is dropped from now on",
            c.withPod(dualStack),
            c.withPod(dualStack).relabel("v6", "scraper"),
            List.of("100.64.2.20"),
            List.of("100.64.2.20", "fd00:0:0:0:0:0:0:20"),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void podsWhosePathChanged(
      String change,
      Cluster before,
      Cluster after,
      List<String> onGateway,
      List<String> onMember,
      List<String> onStandby) {
    assertThat(changed("node-a", before, after)).as("node-a").isEqualTo(onGateway);
    assertThat(changed("node-b", before, after)).as("node-b").isEqualTo(onMember);
    assertThat(changed("node-c", before, after)).as("node-c").isEqualTo(onStandby);
    assertThat(changed("node-b", after, before))
        .as("node-b, the change undone")
        .isEqualTo(onMember);
  }

  private static List<String> changed(String node, Cluster before, Cluster after) {
    return PathChanges.between(before.plans(node), after.plans(node)).stream()
        .map(InetAddress::getHostAddress)
        .toList();
  }
}
