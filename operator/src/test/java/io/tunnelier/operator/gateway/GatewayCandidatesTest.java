package io.tunnelier.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway candidates' public addresses, which the VPS accepts the GRE tunnel from. */
class GatewayCandidatesTest {
  private static Node node(String name, Map<String, String> labels, String... typeAndAddress) {
    NodeBuilder b =
        new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata();
    var status = b.withNewStatus();
    for (int i = 0; i < typeAndAddress.length; i += 2) {
      status
          .addNewAddress()
          .withType(typeAndAddress[i])
          .withAddress(typeAndAddress[i + 1])
          .endAddress();
    }
    return status.endStatus().build();
  }

  @Test
  void externalAddressesOfTheCandidatesOnly() {
    Map<String, String> gw = Map.of("tunnelier.io/gateway", "true");
    List<Node> nodes =
        List.of(
            node("a", gw, "InternalIP", "10.0.0.1", "ExternalIP", "198.51.100.12"),
            node("b", gw, "InternalIP", "10.0.0.2", "ExternalIP", "198.51.100.11"),
            node("c", gw, "ExternalIP", "2001:db8::3", "ExternalIP", "198.51.100.11"),
            node("d", Map.of(), "ExternalIP", "203.0.113.4"),
            node("behind-nat", gw, "InternalIP", "10.0.0.5"));
    // An IPv6 ExternalIP too: the VPS sees it as the source over an IPv6 underlay.
    assertThat(GatewayCandidates.externalAddresses(nodes, gw))
        .containsExactly("198.51.100.11/32", "198.51.100.12/32", "2001:db8::3/128");
    assertThat(GatewayCandidates.externalAddresses(nodes, Map.of()))
        .containsExactly(
            "198.51.100.11/32", "198.51.100.12/32", "2001:db8::3/128", "203.0.113.4/32");
    assertThat(GatewayCandidates.externalAddresses(List.of(new Node()), Map.of())).isEmpty();
  }

  @Test
  void controlPlaneNodesOnlyWhenTheSelectorNamesThemOrThereIsNothingElse() {
    Map<String, String> cp = Map.of("node-role.kubernetes.io/control-plane", "");
    Map<String, String> linux = Map.of("kubernetes.io/os", "linux");
    Node control =
        node(
            "control",
            Map.of("node-role.kubernetes.io/control-plane", "", "kubernetes.io/os", "linux"));
    Node worker = node("worker", linux);
    List<Node> nodes = List.of(control, worker);
    // An empty or generic selector never picks the control plane next to a worker.
    assertThat(GatewayCandidates.matching(nodes, Map.of()))
        .extracting(NodeReadiness::name)
        .containsExactly("worker");
    assertThat(GatewayCandidates.matching(nodes, linux))
        .extracting(NodeReadiness::name)
        .containsExactly("worker");
    // Named on purpose (the admission policy keeps these keys to privileged users).
    assertThat(GatewayCandidates.matching(nodes, cp))
        .extracting(NodeReadiness::name)
        .containsExactly("control");
    assertThat(GatewayCandidates.matching(nodes, Map.of("kubernetes.io/hostname", "control")))
        .isEmpty(); // the test node carries no hostname label: the selector matches nothing
    // A single-node cluster: its only node is the gateway.
    assertThat(GatewayCandidates.matching(List.of(control), Map.of()))
        .extracting(NodeReadiness::name)
        .containsExactly("control");
  }

  @Test
  void podCidrsOfBothFamiliesSortedAndUnique() {
    Node a = node("node-a", Map.of());
    a.setSpec(
        new io.fabric8.kubernetes.api.model.NodeSpecBuilder()
            .withPodCIDR("100.64.1.0/24")
            .withPodCIDRs("100.64.1.0/24", "fd00:64:1::/64")
            .build());
    Node b = node("node-b", Map.of());
    b.setSpec(
        new io.fabric8.kubernetes.api.model.NodeSpecBuilder().withPodCIDR("100.64.0.0/24").build());
    assertThat(GatewayCandidates.podCidrs(List.of(a, b, a)))
        .containsExactly("100.64.0.0/24", "100.64.1.0/24", "fd00:64:1::/64");
  }
}
