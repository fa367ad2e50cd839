package io.tunnelier.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.util.Objects;

/**
 * Lets through the Tunnel updates the operator must react to, and drops those that change only its
 * own part of the status (all but {@code status.nodes}): it wrote that part itself, in the
 * reconcile that had everything this one would have. Generation-aware processing is off (the
 * agents' reports change no generation), so each of its own status writes came back as an event and
 * cost a reconcile that wrote nothing (200 new Tunnels until all were Ready: 5.8-6.3 reconciles
 * each, 5.0 with this filter). Everything else passes: a new generation (the spec), deletion,
 * finalizers, labels, annotations, and every change of an agent's {@code nodes[]} entry. A status
 * part changed by someone else is put right at the next reconcile (an agent's report, a recheck),
 * not at once.
 */
public final class OperatorStatusOnly implements OnUpdateFilter<Tunnel> {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @Override
  public boolean accept(Tunnel newer, Tunnel older) {
    return mattersToOperator(newer, older);
  }

  /**
   * Whether the update from {@code older} (the cache's copy) to {@code newer} needs a reconcile.
   */
  static boolean mattersToOperator(Tunnel newer, Tunnel older) {
    if (newer == null || older == null) {
      return true;
    }
    return !sameMetadata(newer.getMetadata(), older.getMetadata())
        || !Objects.equals(nodes(newer), nodes(older));
  }

  private static boolean sameMetadata(ObjectMeta a, ObjectMeta b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(a.getUid(), b.getUid())
        && Objects.equals(a.getGeneration(), b.getGeneration())
        && Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp())
        && Objects.equals(a.getFinalizers(), b.getFinalizers())
        && Objects.equals(a.getLabels(), b.getLabels())
        && Objects.equals(a.getAnnotations(), b.getAnnotations());
  }

  /** The agents' entries as JSON (the generated status classes have no equals). */
  private static String nodes(Tunnel t) {
    return t.getStatus() == null || t.getStatus().getNodes() == null
        ? null
        : JSON.asJson(t.getStatus().getNodes());
  }
}
