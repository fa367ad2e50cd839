package io.tunnelier.agent.cluster;

import io.tunnelier.api.v1alpha1.AgentHeartbeat;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews this node's heartbeat Lease ({@link io.tunnelier.api.v1alpha1.AgentHeartbeat}): every
 * {@code interval} while the node has a gateway duty ({@link GatewayDuty}), so the operator fails a
 * dead gateway over within its timeout; every {@link AgentHeartbeat#IDLE_RENEW_EVERY} otherwise,
 * which tells the operator and the CLI the agent is alive without a write to every Tunnel. A duty
 * that begins or ends is renewed at once with its new label: the operator then expects (or no
 * longer expects) a heartbeat every interval from this node. On its own thread, so a long reconcile
 * pass never delays a renewal. When the agent stops (or its node dies) the Lease is left to expire:
 * that silence is what moves the gateway away; the Pod's owner reference deletes it with the Pod. A
 * failed renewal is logged once (and its end once) and tried again at the next tick; it never stops
 * the agent.
 */
public final class Heartbeat implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

  private final HeartbeatLease lease;
  private final BooleanSupplier duty;
  private final LongSupplier nanos;
  private final ScheduledExecutorService timer;
  // The duty of the last renewal that landed; null before the first.
  private Boolean renewedDuty;
  private long renewedAt;
  private boolean failing;

  private Heartbeat(
      HeartbeatLease lease,
      BooleanSupplier duty,
      LongSupplier nanos,
      ScheduledExecutorService timer) {
    this.lease = lease;
    this.duty = duty;
    this.nanos = nanos;
    this.timer = timer;
  }

  /** Starts renewing at once and then looks every {@code interval}. */
  public static Heartbeat start(HeartbeatLease lease, BooleanSupplier duty, Duration interval) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "heartbeat");
              t.setDaemon(true);
              return t;
            });
    Heartbeat heartbeat = new Heartbeat(lease, duty, System::nanoTime, timer);
    timer.scheduleWithFixedDelay(heartbeat::tick, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    return heartbeat;
  }

  /** For tests: ticks without the timer, on the given clock. */
  static Heartbeat manual(HeartbeatLease lease, BooleanSupplier duty, LongSupplier nanos) {
    return new Heartbeat(lease, duty, nanos, null);
  }

  /** One look: renews when on duty, when the duty changed, or when the idle renewal is due. */
  synchronized void tick() {
    try {
      boolean wanted = duty.getAsBoolean();
      long now = nanos.getAsLong();
      boolean due =
          wanted
              || renewedDuty == null
              || renewedDuty
              || now - renewedAt >= AgentHeartbeat.IDLE_RENEW_EVERY.toNanos();
      if (!due) {
        return;
      }
      lease.renew(wanted);
      if (renewedDuty != null && renewedDuty != wanted) {
        LOG.atInfo()
            .setMessage(
                wanted
                    ? "heartbeat every interval: this node is a gateway or standby"
                    : "heartbeat every "
                        + AgentHeartbeat.IDLE_RENEW_EVERY.toSeconds()
                        + "s: this node is no longer a gateway")
            .log();
      } else if (renewedDuty == null && wanted) {
        LOG.atInfo().setMessage("heartbeat started: this node is a gateway or standby").log();
      }
      renewedDuty = wanted;
      renewedAt = now;
      if (failing) {
        failing = false;
        LOG.atInfo().setMessage("heartbeat renewed again").log();
      }
    } catch (Exception e) {
      if (!failing) {
        failing = true;
        LOG.atWarn()
            .setMessage(
                "heartbeat renewal failed; the operator fails this node's tunnels over if"
                    + " it keeps failing, and counts its agent silent after 3 minutes")
            .addKeyValue("error", e.toString())
            .log();
      }
    }
  }

  /** Stops renewing; the Lease stays and expires (see the class comment). */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
