package io.tunnelier.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.agent.kernel.Underlay;
import io.tunnelier.agent.plan.Capabilities;
import io.tunnelier.agent.plan.ClusterPlanner;
import io.tunnelier.agent.plan.ClusterSnapshot;
import io.tunnelier.agent.plan.NodeContext;
import io.tunnelier.agent.plan.NodeInfo;
import io.tunnelier.agent.plan.PodInfo;
import io.tunnelier.agent.plan.TunnelPlan;
import io.tunnelier.api.informers.PruningItemStore;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The informers' stores keep what the planner reads of a Pod or Node, and nothing more. */
class KubeObjectsPruneTest {
  /** A pod as the API server sends it: managedFields, containers, volumes, a deletion pending. */
  static final String POD =
      """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"scraper-1","namespace":"scraping",
       "uid":"0c6a1b3e","resourceVersion":"4711","labels":{"app":"scraper","tier":"batch"},
       "annotations":{"note":"x"},"deletionTimestamp":"2026-12-05T00:00:30Z",
       "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"scraper-abc",
         "uid":"r1","controller":true}],
       "managedFields":[{"manager":"kubelet","operation":"Update","apiVersion":"v1",
         "fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:podIP":{}}}}]},
      "spec":{"nodeName":"node-b","hostNetwork":false,"containers":[{"name":"scraper",
         "image":"scraper:1","ports":[{"containerPort":8080}],"env":[{"name":"A","value":"b"}]}],
       "volumes":[{"name":"token","projected":{"sources":[{"serviceAccountToken":{"path":"t"}}]}}]},
      "status":{"phase":"Running","podIP":"100.64.2.7",
       "podIPs":[{"ip":"100.64.2.7"},{"ip":"fd00:64:2::7"}],"hostIP":"192.0.2.12",
       "containerStatuses":[{"name":"scraper","ready":true,"restartCount":0,"image":"scraper:1",
         "imageID":"x","state":{"running":{"startedAt":"2026-12-05T00:00:00Z"}}}]}}
      """;

  static final String NODE =
      """
      {"apiVersion":"v1","kind":"Node","metadata":{"name":"node-b","uid":"n1",
       "resourceVersion":"815","labels":{"kubernetes.io/hostname":"node-b"}},
      "spec":{"podCIDR":"100.64.2.0/24","podCIDRs":["100.64.2.0/24","fd00:64:2::/64"],
       "taints":[{"key":"k","effect":"NoSchedule"}]},
      "status":{"addresses":[{"type":"InternalIP","address":"192.0.2.12"},
         {"type":"InternalIP","address":"2001:db8:0:1::12"},{"type":"Hostname","address":"node-b"}],
       "capacity":{"cpu":"2"},"conditions":[{"type":"Ready","status":"True",
         "lastHeartbeatTime":"2026-12-05T00:00:00Z"}],
       "images":[{"names":["registry.example/scraper:1"],"sizeBytes":1}],
       "nodeInfo":{"kubeletVersion":"v1.36.3"}}}
      """;

  /**
   * A GRE Egress Tunnel with a backup VPS as the API server sends it after a while: the kubectl
   * annotation, managedFields of the user, the operator and two agents, the operator's conditions
   * and measurements, and three nodes' entries; node-a's says it last used the backup.
   */
  static final String TUNNEL =
      """
      {"apiVersion":"tunnelier.io/v1alpha1","kind":"Tunnel","metadata":{"name":"egress",
       "namespace":"scraping","uid":"8d1c7f7e-4b6a-4f55-9a43-1f0a2c3b4d5e","generation":2,
       "resourceVersion":"9001","creationTimestamp":"2026-12-05T00:00:00Z",
       "labels":{"team":"scraping"},"finalizers":["tunnelier.io/cleanup"],
       "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"spec\\":{}}"},
       "managedFields":[
        {"manager":"kubectl","operation":"Apply","apiVersion":"tunnelier.io/v1alpha1",
         "fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:type":{},"f:peer":{"f:endpoint":{}}}}},
        {"manager":"tunnelier-operator","operation":"Apply","subresource":"status",
         "fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:activeGateway":{},"f:mtu":{}}}},
        {"manager":"tunnelier-agent/node-a","operation":"Apply","subresource":"status",
         "fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:nodes":{"k:{\\"name\\":\\"node-a\\"}":{}}}}},
        {"manager":"tunnelier-agent/node-b","operation":"Apply","subresource":"status",
         "fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:nodes":{"k:{\\"name\\":\\"node-b\\"}":{}}}}}]},
      "spec":{"type":"Egress","encapsulation":"GRE","peer":{"endpoint":"203.0.113.10"},
       "backupPeers":[{"name":"vps-b","endpoint":"203.0.113.20"}],
       "egress":{"podSelector":{"matchLabels":{"app":"scraper"}}}},
      "status":{"observedGeneration":2,"activeGateway":"node-a","standbyGateways":["node-b"],
       "tunnelAddress":"100.96.0.2/31","peerAddress":"100.96.0.3/31","mtu":1476,
       "conditions":[{"type":"Ready","status":"True","reason":"PeerReachable","message":"ok",
         "lastTransitionTime":"2026-12-05T00:00:09Z"}],
       "peer":{"endpoint":"203.0.113.20","rttMillis":3.2,"rxBytes":1000,"txBytes":2000},
       "selectedPods":2,"activePeer":"vps-b",
       "lastPeerSwitch":{"time":"2026-12-05T00:01:00Z","from":"primary","to":"vps-b",
         "reason":"PeerUnreachable"},
       "peerPaths":[{"name":"primary","tunnelAddress":"100.96.0.2/31",
         "peerAddress":"100.96.0.3/31","healthy":false},
        {"name":"vps-b","tunnelAddress":"100.96.0.4/31","peerAddress":"100.96.0.5/31",
         "healthy":true}],
       "nodes":[
        {"name":"node-a","role":"Gateway","datapath":"Userspace","mtu":1476,"activePeer":"vps-b",
         "rttMillis":3.2,"rxBytes":1000,"txBytes":2000,"lastUpdateTime":"2026-12-05T00:01:05Z",
         "conditions":[{"type":"LinkUp","status":"True","reason":"Up","message":"up"}]},
        {"name":"node-b","role":"Standby","datapath":"Userspace","mtu":1476,
         "conditions":[{"type":"RoutesProgrammed","status":"True","reason":"Ok","message":"ok"}]},
        {"name":"node-c","role":"Member","mtu":1476,"activePeer":"primary"}]}}
      """;

  @Test
  void aPrunedTunnelPlansAsTheFullOneOnEveryNode() {
    Tunnel full = Serialization.unmarshal(TUNNEL, Tunnel.class);
    List<NodeInfo> nodes =
        List.of(
            new NodeInfo("node-a", "192.0.2.11", List.of("100.64.1.0/24")),
            new NodeInfo("node-b", "192.0.2.12", List.of("100.64.2.0/24")),
            new NodeInfo("node-c", "192.0.2.13", List.of("100.64.3.0/24")));
    List<PodInfo> pods =
        List.of(
            new PodInfo(
                "scraping",
                "scraper-1",
                Map.of("app", "scraper"),
                "100.64.1.5",
                "node-a",
                false,
                false),
            new PodInfo(
                "scraping",
                "scraper-2",
                Map.of("app", "scraper"),
                "100.64.2.7",
                "node-b",
                false,
                false));

    for (String node : List.of("node-a", "node-b", "node-c")) {
      Tunnel pruned = KubeObjects.pruneTunnel(full, node);
      NodeContext ctx =
          new NodeContext(
              node,
              new Underlay("eth0", 1500, "192.0.2.99"),
              Capabilities.NO_TUNNEL_MODULES,
              List.of(Cidr.parseIpv4("100.64.128.0/20")),
              NodeContext.DEFAULT_VXLAN_PORT,
              Map.of()); // a restarted agent: the active peer comes from its status entry

      List<TunnelPlan> fromPruned =
          ClusterPlanner.plan(new ClusterSnapshot(List.of(pruned), nodes, pods, Map.of()), ctx);
      List<TunnelPlan> fromFull =
          ClusterPlanner.plan(new ClusterSnapshot(List.of(full), nodes, pods, Map.of()), ctx);

      assertThat(fromPruned).as(node).isEqualTo(fromFull);
      assertThat(GatewayDuty.of(List.of(pruned), node))
          .as(node)
          .isEqualTo(GatewayDuty.of(List.of(full), node));
      assertThat(TunnelChanges.mattersToAgents(pruned, full)).as(node).isFalse();
      assertThat(pruned.getStatus().getNodes()).as(node).extracting("name").containsExactly(node);
    }
    assertThat(
            ClusterPlanner.plan(
                    new ClusterSnapshot(
                        List.of(KubeObjects.pruneTunnel(full, "node-a")), nodes, pods, Map.of()),
                    new NodeContext(
                        "node-a",
                        new Underlay("eth0", 1500, "192.0.2.99"),
                        Capabilities.NO_TUNNEL_MODULES,
                        List.of(Cidr.parseIpv4("100.64.128.0/20")),
                        NodeContext.DEFAULT_VXLAN_PORT,
                        Map.of()))
                .get(0)
                .backupPeers()
                .active())
        .as("the gateway's last reported peer, read from its own entry")
        .isEqualTo("vps-b");
  }

  @Test
  void aPrunedTunnelKeepsNoOtherNodeAndNoBookkeeping() {
    Tunnel full = Serialization.unmarshal(TUNNEL, Tunnel.class);

    Tunnel pruned = KubeObjects.pruneTunnel(full, "node-b");

    assertThat(pruned.getMetadata().getResourceVersion()).isEqualTo("9001");
    assertThat(pruned.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(pruned.getMetadata().getManagedFields()).isEmpty();
    assertThat(pruned.getMetadata().getAnnotations()).isEmpty();
    assertThat(pruned.getStatus().getConditions()).isNull();
    assertThat(pruned.getStatus().getPeer()).isNull();
    assertThat(pruned.getStatus().getLastPeerSwitch()).isNull();
    assertThat(pruned.getStatus().getNodes()).hasSize(1);
    assertThat(pruned.getStatus().getNodes().get(0).getConditions()).isNull();
    assertThat(pruned.getStatus().getPeerPaths()).hasSize(2);
    assertThat(Serialization.asJson(pruned).length())
        .as("what the store keeps")
        .isLessThan(Serialization.asJson(full).length() / 2);
    assertThat(full.getStatus().getNodes()).as("the informer's object is left alone").hasSize(3);
    assertThat(KubeObjects.pruneTunnel(new Tunnel(), "node-a").getStatus()).isNull();
  }

  @Test
  void aPrunedPodReadsAsTheFullOne() {
    Pod full = Serialization.unmarshal(POD, Pod.class);

    Pod pruned = KubeObjects.prunePod(full);

    assertThat(KubeObjects.pod(pruned)).isEqualTo(KubeObjects.pod(full));
    assertThat(KubeObjects.pod(pruned).terminating()).isTrue();
    assertThat(KubeObjects.pod(pruned).ipv6()).containsExactly("fd00:64:2::7");
    assertThat(pruned.getMetadata().getResourceVersion()).isEqualTo("4711");
    assertThat(pruned.getMetadata().getManagedFields()).isEmpty();
    assertThat(pruned.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(pruned.getSpec().getContainers()).isEmpty();
    assertThat(pruned.getSpec().getVolumes()).isEmpty();
    assertThat(pruned.getStatus().getContainerStatuses()).isEmpty();
    assertThat(Serialization.asJson(pruned).length())
        .as("what the store keeps")
        .isLessThan(Serialization.asJson(full).length() / 2);
    assertThat(full.getSpec().getContainers()).as("the informer's object is left alone").hasSize(1);
  }

  @Test
  void aPrunedNodeReadsAsTheFullOne() {
    Node full = Serialization.unmarshal(NODE, Node.class);

    Node pruned = KubeObjects.pruneNode(full);

    assertThat(KubeObjects.node(pruned)).isEqualTo(KubeObjects.node(full));
    assertThat(KubeObjects.node(pruned).internalIp6()).isEqualTo("2001:db8:0:1::12");
    assertThat(pruned.getMetadata().getResourceVersion()).isEqualTo("815");
    assertThat(pruned.getStatus().getImages()).isEmpty();
    assertThat(pruned.getStatus().getConditions()).isEmpty();
    assertThat(pruned.getSpec().getTaints()).isEmpty();
  }

  @Test
  void objectsWithoutSpecOrStatusArePrunedToo() {
    Pod bare =
        new PodBuilder().withNewMetadata().withName("p").withNamespace("n").endMetadata().build();
    Node bareNode =
        new io.fabric8.kubernetes.api.model.NodeBuilder()
            .withNewMetadata()
            .withName("n")
            .endMetadata()
            .build();

    assertThat(KubeObjects.pod(KubeObjects.prunePod(bare))).isEqualTo(KubeObjects.pod(bare));
    assertThat(KubeObjects.node(KubeObjects.pruneNode(bareNode)))
        .isEqualTo(KubeObjects.node(bareNode));
  }

  @Test
  void theStoreKeepsThePrunedCopyUnderTheNamespacedKey() {
    PruningItemStore<Pod> store = new PruningItemStore<>(KubeObjects::prunePod);
    Pod full = Serialization.unmarshal(POD, Pod.class);

    store.put(store.getKey(full), full);

    assertThat(store.get("scraping/scraper-1").getSpec().getContainers()).isEmpty();
    assertThat(store.get("scraping/scraper-1").getStatus().getPodIP()).isEqualTo("100.64.2.7");
  }
}
