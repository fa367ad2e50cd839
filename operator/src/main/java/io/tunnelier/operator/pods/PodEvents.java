package io.tunnelier.operator.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelType;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Watches Running pods, for {@code status.selectedPods}. The API server filters by phase (a field
 * selector: a pod leaving Running arrives as a deletion), and the store keeps only labels and phase
 * ({@link PrunedPodStore}). Label selectors cannot narrow the watch: every Tunnel has its own.
 *
 * <p>A pod coming, going or changing labels reconciles every egress Tunnel of its namespace, not
 * only those whose selector matches it now: a relabelled pod may have just left a Tunnel's
 * selection, and JOSDK maps only the pod's new state to Tunnels.
 */
public final class PodEvents {
  public static final String NAME = "pods";

  private PodEvents() {}

  public static InformerEventSource<Pod, Tunnel> eventSource(EventSourceContext<Tunnel> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, Tunnel.class)
            .withName(NAME)
            .withFieldSelector(
                new FieldSelector(new FieldSelector.Field("status.phase", SelectedPods.RUNNING)))
            // One store per informer: fine, the operator watches all namespaces with one informer.
            .withItemStore(PrunedPodStore.create())
            .withSecondaryToPrimaryMapper(
                pod ->
                    egressTunnels(context.getPrimaryCache().list(pod.getMetadata().getNamespace())))
            .withPrimaryToSecondaryMapper(tunnel -> Set.of())
            // Status churn (conditions, container states) does not change the count.
            .withOnUpdateFilter(PodEvents::labelsChanged)
            .build(),
        context);
  }

  /** The Tunnels a pod event concerns, among the Tunnels of the pod's namespace. */
  static Set<ResourceID> egressTunnels(Stream<Tunnel> tunnelsOfNamespace) {
    return tunnelsOfNamespace
        .filter(t -> t.getSpec().getType() == TunnelType.EGRESS)
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  static boolean labelsChanged(Pod newer, Pod older) {
    return !Objects.equals(newer.getMetadata().getLabels(), older.getMetadata().getLabels());
  }

  /** The Running pods of a namespace, from the informer's cache. */
  @SuppressWarnings("unchecked")
  public static Stream<Pod> running(Context<Tunnel> context, String namespace) {
    InformerEventSource<Pod, Tunnel> source =
        (InformerEventSource<Pod, Tunnel>)
            context.eventSourceRetriever().getEventSourceFor(Pod.class, NAME);
    return source.list(namespace, pod -> true);
  }
}
