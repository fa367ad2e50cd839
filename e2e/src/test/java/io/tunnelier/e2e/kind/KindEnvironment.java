package io.tunnelier.e2e.kind;

import io.tunnelier.agent.lab.Exec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the kind clusters run on: e2e/kind/prepare.sh (a Docker engine, kind, the node image and
 * base images, built here and cached) and Tunnelier's two images built from this checkout's jars
 * with its Dockerfiles (e2e/kind/images.sh). {@link #close()} removes the Docker network the
 * clusters (e2e/kind/cluster.sh) and the lab's "internet" share, and stops the Docker engine if
 * this run started it.
 */
final class KindEnvironment implements AutoCloseable {
  /** The nodes' and the internet containers' network, as e2e/kind/cluster.sh creates it. */
  static final String NETWORK = "tunnelier-kind";

  /** Docker hands out node addresses from here; the lab's fixed ones are above it. */
  static final String DYNAMIC_RANGE = "198.51.100.0/25";

  /** The tag e2e/kind/images.sh gives Tunnelier's images here. */
  static final String TAG = "e2e";

  static final String OPERATOR_IMAGE = "tunnelier/operator:" + TAG;
  static final String AGENT_IMAGE = "tunnelier/node-agent:" + TAG;

  private final Path repoRoot;
  private final Map<String, String> prepared;
  private final boolean startedDocker;

  private KindEnvironment(Path repoRoot, Map<String, String> prepared, boolean startedDocker) {
    this.repoRoot = repoRoot;
    this.prepared = prepared;
    this.startedDocker = startedDocker;
  }

  /** Prepares everything (minutes on a cold machine, seconds once cached) and the network. */
  static KindEnvironment prepare(Path repoRoot) {
    boolean engineWasUp = Docker.attempt("info").exitCode() == 0;
    Path log = repoRoot.resolve("e2e/target/kind-prepare.log");
    Map<String, String> prepared = new HashMap<>();
    try {
      Files.createDirectories(log.getParent());
      Process p =
          new ProcessBuilder(repoRoot.resolve("e2e/kind/prepare.sh").toString())
              .directory(repoRoot.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(60, java.util.concurrent.TimeUnit.MINUTES)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new IllegalStateException("e2e/kind/prepare.sh did not finish in 60 minutes");
      }
      List<String> lines = Files.readAllLines(log);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "e2e/kind/prepare.sh exited " + p.exitValue() + " (its progress is above)");
      }
      for (String line : lines) {
        int eq = line.indexOf('=');
        if (eq > 0 && line.substring(0, eq).matches("[A-Z_]+")) {
          prepared.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    KindEnvironment env = new KindEnvironment(repoRoot, prepared, !engineWasUp);
    env.script(Duration.ofMinutes(10), "e2e/kind/images.sh", TAG);
    return env;
  }

  /** Runs one of e2e/kind's scripts; its progress goes to this JVM's stderr. */
  void script(Duration timeout, String script, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(repoRoot.resolve(script).toString()));
    command.addAll(List.of(args));
    var result = Exec.run(timeout, command);
    System.err.print(result.stderr());
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          script
              + " "
              + String.join(" ", args)
              + " exited "
              + result.exitCode()
              + ":\n"
              + result.stdout());
    }
  }

  String kind() {
    return prepared.get("KIND");
  }

  String kubectl() {
    return prepared.get("KUBECTL");
  }

  String nodeImage() {
    return prepared.get("NODE_IMAGE");
  }

  String runtimeImage() {
    return prepared.get("RUNTIME_IMAGE");
  }

  /** Debian with curl, python3, nft, ping: the lab's containers and test pods. */
  String toolsImage() {
    return prepared.get("TOOLS_IMAGE");
  }

  Path repoRoot() {
    return repoRoot;
  }

  @Override
  public void close() {
    Exec.run(
        Duration.ofMinutes(1),
        List.of(repoRoot.resolve("e2e/kind/cluster.sh").toString(), "network-down"));
    if (startedDocker) {
      Exec.run(
          Duration.ofMinutes(1),
          List.of(repoRoot.resolve("e2e/kind/docker.sh").toString(), "stop"));
    }
  }
}
