package io.tunnelier.operator.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.tunnelier.api.informers.PruningItemStore;

/**
 * What the operator's Pod informer keeps of each pod: what counting needs (name, namespace, labels,
 * phase) and what the informer itself needs (uid, resourceVersion), not the spec and the rest of
 * the status. A cluster's pods would otherwise take most of the operator's memory.
 */
public final class PrunedPodStore {
  private PrunedPodStore() {}

  /** The store for the Pod informer. */
  public static PruningItemStore<Pod> create() {
    return new PruningItemStore<>(PrunedPodStore::prune);
  }

  /** The parts of a pod the store keeps. Pure. */
  public static Pod prune(Pod pod) {
    return new PodBuilder()
        .withApiVersion(pod.getApiVersion())
        .withKind(pod.getKind())
        .withMetadata(PruningItemStore.labelled(pod.getMetadata()).build())
        .withStatus(
            pod.getStatus() == null
                ? null
                : new PodStatusBuilder().withPhase(pod.getStatus().getPhase()).build())
        .build();
  }
}
