package io.tunnelier.api.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.HashMap;
import java.util.function.UnaryOperator;

/**
 * An informer's store that keeps a pruned copy of each object: the fields its reader uses, plus the
 * name, namespace, uid and resourceVersion the informer itself needs. A Pod or Node as the API
 * server sends it (managedFields, containers, volumes, images) is several times the size of what
 * the operator or an agent reads, and an informer holds every one of them, so without pruning the
 * cluster's size, not Tunnelier's work, sets the memory.
 *
 * <p>Handlers still get the full new object of an event; the old one of an update is the pruned
 * copy, so an update filter must compare only what {@code prune} keeps.
 *
 * <p>Not final: JOSDK's {@code @Informer(itemStore = ...)} takes a class it constructs itself.
 */
public class PruningItemStore<T extends HasMetadata> extends BasicItemStore<T> {
  private final UnaryOperator<T> prune;

  /** {@code prune} is pure: a new object with the kept fields, the argument left as it was. */
  public PruningItemStore(UnaryOperator<T> prune) {
    super(Cache::metaNamespaceKeyFunc);
    this.prune = prune;
  }

  @Override
  public T put(String key, T object) {
    return super.put(key, prune.apply(object));
  }

  /** Name, namespace, uid and resourceVersion: what an informer needs of any object it keeps. */
  public static ObjectMetaBuilder identity(ObjectMeta m) {
    return new ObjectMetaBuilder()
        .withName(m.getName())
        .withNamespace(m.getNamespace())
        .withUid(m.getUid())
        .withResourceVersion(m.getResourceVersion());
  }

  /** {@link #identity} with a copy of the labels and the deletion: what selecting readers need. */
  public static ObjectMetaBuilder labelled(ObjectMeta m) {
    return identity(m)
        .withLabels(m.getLabels() == null ? null : new HashMap<>(m.getLabels()))
        .withDeletionTimestamp(m.getDeletionTimestamp());
  }
}
