package io.tunnelier.operator.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tunnelier.operator.dependent.NodeAgentUsers;
import io.tunnelier.operator.dependent.SettingsDependentResourceFactory;
import io.tunnelier.operator.reconciler.OperatorSettings;
import io.tunnelier.operator.reconciler.TunnelReconciler;
import io.tunnelier.operator.status.EventRecorder;
import io.tunnelier.operator.status.GatewayChanges;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Tunnelier operator: the JOSDK operator with the Tunnel reconciler, its metrics registry
 * (JOSDK's, the JVM's and the process's) and, optionally, leader election. Main starts one; the
 * integration tests start one in-process.
 */
public final class TunnelierOperator implements AutoCloseable {
  /** Reconciles in flight, and dependents' workflow threads: JOSDK's default is 50 of each. */
  static final int RECONCILE_THREADS = 16;

  private static final Logger LOG = LoggerFactory.getLogger(TunnelierOperator.class);

  private final Operator operator;
  private final PrometheusMeterRegistry registry;

  /**
   * @param client the client to use (not closed by {@link #close()})
   * @param settings configuration, the operator's namespace and clock
   * @param leaseName the Lease to hold while reconciling; null: no leader election
   * @param exitOnLostLease whether losing the Lease ends the process (in a pod: yes, so a new
   *     leader starts from a clean state; in tests: no)
   */
  public TunnelierOperator(
      KubernetesClient client,
      OperatorSettings settings,
      String leaseName,
      boolean exitOnLostLease) {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    NodeAgentUsers users = new NodeAgentUsers();
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  // Per controller, not per Tunnel: JOSDK's per-resource meters (a name and
                  // namespace tag on each, and a 69-bucket histogram per Tunnel) made 200 Tunnels
                  // 801 meters, 6.5 MB of heap and a 4 MB /metrics (15,000 lines) at every scrape
                  // (issue 21). A Tunnel's own state is in its status and Events.
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                  .withDependentResourceFactory(
                      new SettingsDependentResourceFactory(settings, users))
                  .withReconciliationTerminationTimeout(Duration.ofSeconds(10))
                  // JOSDK's 50 + 50 threads each stay once started (~100 KB of stack apiece);
                  // 16 reconciles in flight already outrun the API server on 2 cores (issue 21).
                  .withConcurrentReconciliationThreads(RECONCILE_THREADS)
                  .withConcurrentWorkflowExecutorThreads(RECONCILE_THREADS);
              if (leaseName != null) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        leaseName,
                        settings.namespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        null,
                        null,
                        exitOnLostLease));
              }
            });
    operator.register(
        new TunnelReconciler(
            settings, new EventRecorder(client, settings.clock()), new GatewayChanges(registry)));
  }

  /** Starts the informers and, once leader (or at once without election), reconciling. */
  public void start() {
    operator.start();
    LOG.atInfo().setMessage("operator started").log();
  }

  /**
   * Started: both alive and ready. Informer health is not part of it: a standby replica has no
   * running informers, and an API server hiccup is not cured by restarting the pod. A standby
   * replica waiting for the Lease counts as ready, or a rolling update of a two-replica Deployment
   * would never finish.
   */
  public boolean started() {
    return operator.getRuntimeInfo().isStarted();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    operator.stop();
    registry.close();
    LOG.atInfo().setMessage("operator stopped").log();
  }
}
