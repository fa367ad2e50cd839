package io.tunnelier.e2e.cluster;

import sun.misc.Signal;

/**
 * Gives SIGINT and SIGTERM back to the JVM after a helm-java call. helm-java runs Helm as a Go
 * library inside this process, and the Go side subscribes to SIGINT and SIGTERM for itself
 * (measured: after {@code helm install}, Ctrl-C and {@code kill} no longer stop the JVM, so its
 * shutdown hooks, which remove the lab and stop the control plane, never run). Re-registering the
 * JVM's own handlers takes them back: the signal exits the JVM as by default (status 128 + signal)
 * and the shutdown hooks run.
 */
final class JvmSignals {
  private JvmSignals() {}

  static void reclaim() {
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal.handle(new Signal(name), s -> System.exit(128 + s.getNumber()));
      } catch (IllegalArgumentException ignoredAtStart) {
        // The JVM was started with this signal ignored (e.g. nohup): leave it so.
      }
    }
  }
}
