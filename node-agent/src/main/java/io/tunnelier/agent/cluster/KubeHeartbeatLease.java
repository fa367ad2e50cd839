package io.tunnelier.agent.cluster;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.tunnelier.api.v1alpha1.AgentHeartbeat;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The heartbeat Lease in the agents' namespace, renewed with one server-side apply (no GET, no
 * conflict with a stale resourceVersion), field manager {@code tunnelier-agent/<node>}. Owned by
 * the agent's Pod when the downward API names it, so the Lease goes with the Pod (and with an
 * uninstall).
 */
public final class KubeHeartbeatLease implements HeartbeatLease {
  /** The agent's own Pod, from the downward API ({@code metadata.name}, {@code metadata.uid}). */
  public record Owner(String name, String uid) {}

  private final KubernetesClient client;
  private final String namespace;
  private final String node;
  private final int durationSeconds;
  private final Owner owner;
  private final Clock clock;
  private static final int IDLE_DURATION_SECONDS =
      (int) AgentHeartbeat.IDLE_RENEW_EVERY.multipliedBy(3).toSeconds();

  /**
   * @param interval the renewal interval on gateway duty: the Lease then says it lasts three of
   *     them, and three idle renewals without (informative: the operator judges with its own {@code
   *     gatewayHeartbeatTimeout} and {@code SILENT_AFTER})
   * @param owner null outside a Pod (tests, the lab)
   */
  public KubeHeartbeatLease(
      KubernetesClient client,
      String namespace,
      String node,
      Duration interval,
      Owner owner,
      Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.node = node;
    this.durationSeconds = (int) Math.max(1, (interval.toMillis() * 3 + 999) / 1000);
    this.owner = owner;
    this.clock = clock;
  }

  @Override
  public void renew(boolean gatewayDuty) {
    LeaseBuilder lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(AgentHeartbeat.leaseName(node))
            .withNamespace(namespace)
            .addToLabels(
                AgentHeartbeat.LABEL,
                gatewayDuty ? AgentHeartbeat.LABEL_VALUE : AgentHeartbeat.IDLE_VALUE)
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(node)
            .withLeaseDurationSeconds(gatewayDuty ? durationSeconds : IDLE_DURATION_SECONDS)
            .withRenewTime(ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
            .endSpec();
    if (owner != null) {
      lease
          .editMetadata()
          .addToOwnerReferences(
              new OwnerReferenceBuilder()
                  .withApiVersion("v1")
                  .withKind("Pod")
                  .withName(owner.name())
                  .withUid(owner.uid())
                  .build())
          .endMetadata();
    }
    Lease object = lease.build();
    client
        .leases()
        .inNamespace(namespace)
        .resource(object)
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager("tunnelier-agent/" + node)
                .withForce(true)
                .build());
  }
}
