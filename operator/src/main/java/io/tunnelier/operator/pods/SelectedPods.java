package io.tunnelier.operator.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelType;
import java.util.Objects;
import java.util.stream.Stream;

/** {@code status.selectedPods}: how many Running pods an egress Tunnel selects. Pure. */
public final class SelectedPods {
  public static final String RUNNING = "Running";

  private SelectedPods() {}

  /**
   * The Running pods in the Tunnel's namespace that {@code egress.podSelector} selects; null for a
   * Tunnel that selects no pods (SiteToSite). Pods of other namespaces never count.
   */
  public static Integer count(Tunnel tunnel, Stream<Pod> pods) {
    if (tunnel.getSpec().getType() != TunnelType.EGRESS || tunnel.getSpec().getEgress() == null) {
      return null;
    }
    String namespace = tunnel.getMetadata().getNamespace();
    return (int)
        pods.filter(p -> Objects.equals(namespace, p.getMetadata().getNamespace()))
            .filter(p -> p.getStatus() != null && RUNNING.equals(p.getStatus().getPhase()))
            .filter(
                p ->
                    LabelSelectors.matches(
                        tunnel.getSpec().getEgress().getPodSelector(), p.getMetadata().getLabels()))
            .count();
  }
}
