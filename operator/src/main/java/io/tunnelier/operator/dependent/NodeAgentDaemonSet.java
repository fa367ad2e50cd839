package io.tunnelier.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.Labels;
import io.tunnelier.operator.reconciler.OperatorSettings;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The node agent DaemonSet: one per cluster, in the operator's namespace, shared by every Tunnel.
 * Every Tunnel wants the same object; it has no owner reference (Tunnels are namespaced, the
 * DaemonSet may be elsewhere), and it is deleted when the last Tunnel's cleanup is done.
 */
// Every Tunnel's reconcile may create it at the same time: a plain apply, not create-if-absent.
@KubernetesDependent(createResourceOnlyIfNotExistingWithSSA = false)
public class NodeAgentDaemonSet extends CRUDNoGCKubernetesDependentResource<DaemonSet, Tunnel>
    implements UsesOperatorSettings {
  public static final String NAME = "node-agent-daemonset";

  private OperatorSettings settings;
  private NodeAgentUsers users;

  private final MatchMemo<DaemonSet> matches = new MatchMemo<>();

  public NodeAgentDaemonSet() {
    super(DaemonSet.class);
  }

  @Override
  public Matcher.Result<DaemonSet> match(
      DaemonSet actual, DaemonSet desired, Tunnel tunnel, Context<Tunnel> context) {
    return matches.match(actual, desired, () -> super.match(actual, desired, tunnel, context));
  }

  @Override
  public void use(OperatorSettings operatorSettings, NodeAgentUsers agentUsers) {
    this.settings = operatorSettings;
    this.users = agentUsers;
  }

  @Override
  protected DaemonSet desired(Tunnel tunnel, Context<Tunnel> context) {
    return NodeAgentDaemonSetSpec.desired(settings.config(), settings.namespace());
  }

  @Override
  protected ResourceID targetSecondaryResourceID(Tunnel tunnel, Context<Tunnel> context) {
    return id();
  }

  private ResourceID id() {
    return new ResourceID(NodeAgentDaemonSetSpec.NAME, settings.namespace());
  }

  /** Shared: no owner reference, and no per-Tunnel annotation either (it would flap). */
  @Override
  protected void addReferenceHandlingMetadata(DaemonSet desired, Tunnel tunnel) {}

  /**
   * Watches only the operator's namespace and only what the operator manages. Built here in full:
   * the annotation-driven informer settings would widen it to the controller's namespaces.
   */
  @Override
  protected InformerEventSource<DaemonSet, Tunnel> createEventSource(
      EventSourceContext<Tunnel> context) {
    InformerEventSource<DaemonSet, Tunnel> source =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(DaemonSet.class, Tunnel.class)
                .withName(name())
                .withNamespaces(Set.of(settings.namespace()))
                .withLabelSelector(Labels.MANAGED_SELECTOR)
                .withPrimaryToSecondaryMapper(tunnel -> Set.of(id()))
                // A change to the DaemonSet concerns every Tunnel (one recreates it if deleted).
                .withSecondaryToPrimaryMapper(
                    daemonSet ->
                        context
                            .getPrimaryCache()
                            .list()
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    setEventSource(source);
    return source;
  }

  /** Called by the workflow's cleanup: deletes only when this was the last Tunnel. */
  @Override
  protected void handleDelete(Tunnel tunnel, DaemonSet daemonSet, Context<Tunnel> context) {
    boolean last =
        users.finishAndCheckLast(
            tunnel.getMetadata().getUid(),
            context.getPrimaryCache().list().map(t -> t.getMetadata().getUid()));
    if (last && daemonSet != null) {
      super.handleDelete(tunnel, daemonSet, context);
    }
  }
}
