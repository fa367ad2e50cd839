package io.tunnelier.agent.cluster;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews this node's heartbeat Lease every {@code interval} while the node has a gateway duty
 * ({@link GatewayDuty}), and deletes it when the duty ends: the operator then no longer expects a
 * heartbeat from this node, and judges it by the Node's Ready condition again. On its own thread,
 * so a long reconcile pass never delays a renewal. When the agent stops (or its node dies) the
 * Lease is left to expire: that silence is what moves the gateway away. A failed renewal is logged
 * once (and its end once) and tried again at the next tick; it never stops the agent.
 */
public final class Heartbeat implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

  private final HeartbeatLease lease;
  private final BooleanSupplier duty;
  private final ScheduledExecutorService timer;
  private boolean held;
  private boolean failing;

  private Heartbeat(HeartbeatLease lease, BooleanSupplier duty, ScheduledExecutorService timer) {
    this.lease = lease;
    this.duty = duty;
    this.timer = timer;
  }

  /** Starts renewing at once and then every {@code interval}. */
  public static Heartbeat start(HeartbeatLease lease, BooleanSupplier duty, Duration interval) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "heartbeat");
              t.setDaemon(true);
              return t;
            });
    Heartbeat heartbeat = new Heartbeat(lease, duty, timer);
    timer.scheduleWithFixedDelay(heartbeat::tick, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    return heartbeat;
  }

  /** For tests: one tick without the timer. */
  static Heartbeat manual(HeartbeatLease lease, BooleanSupplier duty) {
    return new Heartbeat(lease, duty, null);
  }

  /** One renewal (or release): what the timer runs. */
  synchronized void tick() {
    try {
      boolean wanted = duty.getAsBoolean();
      if (wanted) {
        lease.renew();
        if (!held) {
          LOG.atInfo().setMessage("heartbeat started: this node is a gateway or standby").log();
        }
        held = true;
      } else if (held) {
        lease.release();
        held = false;
        LOG.atInfo().setMessage("heartbeat released: this node is no longer a gateway").log();
      }
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
                    + " it keeps failing")
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
