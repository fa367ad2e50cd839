package io.tunnelier.operator.reconciler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeSpecBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.tunnelier.api.informers.PruningItemStore;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.gateway.GatewayCandidates;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Watches Nodes: a node joining, leaving, changing labels or readiness may change any Tunnel's
 * gateway, so such a change reconciles every Tunnel. Heartbeat-only updates are filtered out. The
 * cache keeps of each Node what the operator reads ({@link #prune}): a Node as the API server sends
 * it (images, managedFields, capacity, every condition) is many times that.
 */
public final class NodeEvents {
  public static final String NAME = "nodes";

  private NodeEvents() {}

  public static InformerEventSource<Node, Tunnel> eventSource(EventSourceContext<Tunnel> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Node.class, Tunnel.class)
            .withName(NAME)
            .withSecondaryToPrimaryMapper(
                node ->
                    context
                        .getPrimaryCache()
                        .list()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withPrimaryToSecondaryMapper(tunnel -> Set.of())
            .withOnUpdateFilter(NodeEvents::relevant)
            .withItemStore(new PruningItemStore<>(NodeEvents::prune))
            .build(),
        context);
  }

  /**
   * What the cache keeps of a Node: what {@link GatewayCandidates}, {@code ClusterRanges} and
   * {@link #relevant} read (labels, deletion, pod CIDRs, addresses, the Ready condition's status).
   * The older Node of an update comes from the cache, so {@link #relevant} may compare only these.
   * Pure.
   */
  static Node prune(Node n) {
    ObjectMeta m = n.getMetadata();
    return new NodeBuilder()
        .withApiVersion(n.getApiVersion())
        .withKind(n.getKind())
        .withMetadata(PruningItemStore.labelled(m).build())
        .withSpec(
            n.getSpec() == null
                ? null
                : new NodeSpecBuilder()
                    .withPodCIDR(n.getSpec().getPodCIDR())
                    .withPodCIDRs(n.getSpec().getPodCIDRs())
                    .build())
        .withStatus(
            n.getStatus() == null
                ? null
                : new NodeStatusBuilder()
                    .withAddresses(n.getStatus().getAddresses())
                    .withConditions(
                        n.getStatus().getConditions() == null
                            ? null
                            : n.getStatus().getConditions().stream()
                                .filter(c -> "Ready".equals(c.getType()))
                                .map(
                                    c ->
                                        new NodeConditionBuilder()
                                            .withType(c.getType())
                                            .withStatus(c.getStatus())
                                            .build())
                                .toList())
                    .build())
        .build();
  }

  static boolean relevant(Node newer, Node older) {
    return !Objects.equals(newer.getMetadata().getLabels(), older.getMetadata().getLabels())
        || GatewayCandidates.isReady(newer) != GatewayCandidates.isReady(older)
        || !Objects.equals(
            GatewayCandidates.podCidrs(Set.of(newer)), GatewayCandidates.podCidrs(Set.of(older)))
        || !Objects.equals(
            GatewayCandidates.externalAddresses(Set.of(newer), Map.of()),
            GatewayCandidates.externalAddresses(Set.of(older), Map.of()));
  }
}
