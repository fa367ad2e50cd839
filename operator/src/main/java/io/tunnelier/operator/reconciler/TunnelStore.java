package io.tunnelier.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.tunnelier.api.informers.PruningItemStore;
import io.tunnelier.api.v1alpha1.Tunnel;

/**
 * The operator's Tunnel cache: each Tunnel without its managedFields. Every agent writes its node's
 * status entry under its own field manager, so a Tunnel served by N nodes carries N managedFields
 * entries, each a tree of the fields it owns, which the operator never reads (server-side apply
 * needs none on the request). The rest of the Tunnel is kept: the operator reads all of it.
 */
public final class TunnelStore extends PruningItemStore<Tunnel> {
  public TunnelStore() {
    super(TunnelStore::prune);
  }

  /** The Tunnel with no managedFields; spec and status shared with {@code t}. Pure. */
  static Tunnel prune(Tunnel t) {
    if (t.getMetadata() == null || t.getMetadata().getManagedFields() == null) {
      return t;
    }
    Tunnel kept = new Tunnel();
    kept.setApiVersion(t.getApiVersion());
    kept.setKind(t.getKind());
    kept.setMetadata(new ObjectMetaBuilder(t.getMetadata()).withManagedFields().build());
    kept.setSpec(t.getSpec());
    kept.setStatus(t.getStatus());
    return kept;
  }
}
