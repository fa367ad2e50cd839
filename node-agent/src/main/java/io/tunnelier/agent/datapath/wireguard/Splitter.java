package io.tunnelier.agent.datapath.wireguard;

import java.util.concurrent.locks.LockSupport;

/**
 * Splits the packets of one batch between the calling loop thread and one helper thread, so a
 * batch's encryption (or decryption) uses two cores, as wireguard-go's per-CPU crypto workers do.
 * Packet order is kept by the caller (each packet has its own output slot). No allocation per
 * batch: the task is fixed at construction and the handoff is a volatile flag plus park/unpark.
 */
final class Splitter implements AutoCloseable {
  /** Works on packets {@code [from, to)} with the resources of {@code worker} (0 or 1). */
  interface Task {
    void run(int worker, int from, int to);
  }

  /** Below this many packets the handoff costs more than it saves: the caller does them all. */
  static final int MIN_SPLIT = 8;

  private final Task task;
  private final Thread helper;
  private volatile Thread owner;
  private volatile int from;
  private volatile int to;
  private volatile boolean pending;
  private volatile boolean closed;

  /** With {@code parallel} false everything runs on the caller, with worker 0's resources. */
  Splitter(String name, Task task, boolean parallel) {
    this.task = task;
    if (parallel) {
      helper = new Thread(this::helperLoop, name);
      helper.setDaemon(true);
      helper.start();
    } else {
      helper = null;
    }
  }

  /** Runs the task on {@code [0, n)}, the upper half on the helper; returns when both are done. */
  void run(int n) {
    if (helper == null || n < MIN_SPLIT) {
      task.run(0, 0, n);
      return;
    }
    int mid = n / 2;
    owner = Thread.currentThread();
    from = mid;
    to = n;
    pending = true;
    LockSupport.unpark(helper);
    task.run(0, 0, mid);
    int spins = 0;
    while (pending) {
      if (++spins < 2000) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(this, 20_000);
      }
    }
  }

  private void helperLoop() {
    while (!closed) {
      if (!pending) {
        LockSupport.park(this);
        continue;
      }
      try {
        task.run(1, from, to);
      } catch (RuntimeException e) {
        // The task counts its own drops; never leave the owner waiting.
      } finally {
        pending = false;
        LockSupport.unpark(owner);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    if (helper != null) {
      LockSupport.unpark(helper);
    }
  }
}
