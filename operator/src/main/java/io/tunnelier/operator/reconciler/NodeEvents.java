package io.tunnelier.operator.reconciler;

import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.gateway.GatewayCandidates;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Watches Nodes: a node joining, leaving, changing labels or readiness may change any Tunnel's
 * gateway, so such a change reconciles every Tunnel. Heartbeat-only updates are filtered out.
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
            .build(),
        context);
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
