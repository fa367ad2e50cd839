package io.tunnelier.agent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for the agent's helper pools: daemon threads, so a pool never holds the JVM open
 * on shutdown, with names that say what they do in a thread dump or a JFR recording.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Every thread named {@code name} (single-thread executors). */
  public static ThreadFactory named(String name) {
    return r -> daemon(r, name);
  }

  /** Threads named {@code prefix-1}, {@code prefix-2}, … */
  public static ThreadFactory numbered(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> daemon(r, prefix + "-" + n.incrementAndGet());
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
