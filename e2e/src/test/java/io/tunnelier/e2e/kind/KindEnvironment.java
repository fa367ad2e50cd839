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
 * base images, built here and cached), Tunnelier's two images built from this checkout's jars with
 * its Dockerfiles, and the Docker network the nodes and the lab's "internet" share, on a lab
 * subnet. {@link #close()} removes the network and stops the Docker engine if this run started it.
 */
final class KindEnvironment implements AutoCloseable {
  /** The nodes' and the internet containers' network: lab addresses only. */
  static final String NETWORK = "tunnelier-kind";

  static final String SUBNET = "198.51.100.0/24";

  /** Docker hands out addresses from here; the lab's fixed ones are above it. */
  static final String DYNAMIC_RANGE = "198.51.100.0/25";

  static final String OPERATOR_IMAGE = "tunnelier/operator:e2e";
  static final String AGENT_IMAGE = "tunnelier/node-agent:e2e";

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
    env.buildTunnelierImages();
    Docker.attempt("network", "rm", NETWORK);
    Docker.run(
        "network",
        "create",
        "--driver=bridge",
        "--subnet=" + SUBNET,
        "--ip-range=" + DYNAMIC_RANGE,
        "--gateway=198.51.100.1",
        NETWORK);
    return env;
  }

  /** The operator and agent images, from the jars `./mvnw package` left in target/. */
  private void buildTunnelierImages() {
    for (var image : Map.of("operator", OPERATOR_IMAGE, "node-agent", AGENT_IMAGE).entrySet()) {
      String module = image.getKey();
      Path jar = repoRoot.resolve(module + "/target/" + module + ".jar");
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(
            jar + " is missing: the kind tests run in the reactor after `package` (./mvnw verify)");
      }
      long start = System.nanoTime();
      var result =
          Exec.run(
              Duration.ofMinutes(5),
              List.of(
                  "env",
                  "DOCKER_BUILDKIT=1",
                  Docker.cli(),
                  "build",
                  "--quiet",
                  "--network=none",
                  "--build-arg=JARS=prebuilt",
                  "--build-arg=RUNTIME_IMAGE=" + runtimeImage(),
                  "-f",
                  repoRoot.resolve(module + "/Dockerfile").toString(),
                  "-t",
                  image.getValue(),
                  repoRoot.toString()));
      result.orThrow();
      System.out.printf(
          "[kind] built %s from %s/Dockerfile (JARS=prebuilt, RUNTIME_IMAGE=%s) in %.1f s%n",
          image.getValue(), module, runtimeImage(), (System.nanoTime() - start) / 1e9);
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
    Docker.attempt("network", "rm", NETWORK);
    if (startedDocker) {
      Exec.run(
          Duration.ofMinutes(1),
          List.of(repoRoot.resolve("e2e/kind/docker.sh").toString(), "stop"));
    }
  }
}
