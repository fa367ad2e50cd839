package io.tunnelier.e2e.lab;

import io.tunnelier.agent.lab.Netns;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Makes the test API server (on the host's loopback) reachable at {@code https://127.0.0.1:6443}
 * inside lab namespaces, the way a node reaches its control plane, without touching the host's
 * interfaces: a Unix socket (not namespaced) carries the bytes between a relay in the host and one
 * in each node namespace. TLS stays end to end.
 */
public final class ApiServerBridge implements AutoCloseable {
  public static final String IN_NODE_URL = "https://127.0.0.1:6443";

  private final Path socket;
  private final Process hostRelay;
  // A test JVM ended by a signal runs no close(): the relay (and its forks) would outlive it.
  private final Thread stopOnExit;

  private ApiServerBridge(Path socket, Process hostRelay) {
    this.socket = socket;
    this.hostRelay = hostRelay;
    this.stopOnExit = new Thread(this::stopRelay, "api-bridge-cleanup");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /** Starts the host side: a Unix socket in {@code dir} relayed to the API server's port. */
  public static ApiServerBridge start(String apiServerUrl, Path dir) {
    URI uri = URI.create(apiServerUrl);
    Path socket = dir.resolve("apiserver.sock");
    try {
      Files.deleteIfExists(socket);
      Process relay =
          new ProcessBuilder(
                  "socat",
                  "UNIX-LISTEN:" + socket + ",fork,mode=600",
                  "TCP:" + uri.getHost() + ":" + uri.getPort())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("bridge-host.log").toFile())
              .start();
      waitFor(socket);
      return new ApiServerBridge(socket, relay);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the relay inside a node namespace; the lab stops it with the namespace. */
  public void attach(Netns node, File log) {
    node.spawn(
        log, "socat", "TCP-LISTEN:6443,bind=127.0.0.1,fork,reuseaddr", "UNIX-CONNECT:" + socket);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (node.exec("ss", "-Hltn", "sport = :6443").stdout().contains("6443")) {
        return;
      }
      sleep(50);
    }
    throw new IllegalStateException("API relay did not start in " + node + "; see " + log);
  }

  private static void waitFor(Path socket) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!Files.exists(socket)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("API relay socket " + socket + " did not appear");
      }
      sleep(20);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs, or ran, anyway
    }
    stopRelay();
    try {
      hostRelay.waitFor(5, TimeUnit.SECONDS);
      Files.deleteIfExists(socket);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // best effort: the directory goes with the lab's work dir
    }
  }

  private void stopRelay() {
    hostRelay.descendants().forEach(ProcessHandle::destroyForcibly);
    hostRelay.destroyForcibly();
  }
}
