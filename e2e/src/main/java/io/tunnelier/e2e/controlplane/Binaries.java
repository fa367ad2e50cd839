package io.tunnelier.e2e.controlplane;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Finds the control-plane binaries: ready ones from {@code TUNNELIER_K8S_ASSETS}, otherwise the
 * ones {@code e2e/controlplane/build.sh} builds from Go modules into a cache (once).
 */
final class Binaries {
  static final String ASSETS_ENV = "TUNNELIER_K8S_ASSETS";
  static final String BUILD_SCRIPT = "e2e/controlplane/build.sh";
  private static final List<String> REQUIRED = List.of("kube-apiserver", "etcd", "kubectl");

  private Binaries() {}

  /** Directory holding kube-apiserver, etcd, kubectl and (optionally) kube-controller-manager. */
  static Path locate() {
    String assets = System.getenv(ASSETS_ENV);
    Path bin =
        assets != null && !assets.isBlank()
            ? Paths.get(assets).toAbsolutePath()
            : build(findBuildScript());
    for (String name : REQUIRED) {
      if (!Files.isExecutable(bin.resolve(name))) {
        throw new IllegalStateException(
            "control plane binary " + name + " missing in " + bin + explainSource(assets));
      }
    }
    return bin;
  }

  private static String explainSource(String assets) {
    return assets != null && !assets.isBlank()
        ? " (from " + ASSETS_ENV + ")"
        : " (from " + BUILD_SCRIPT + ")";
  }

  /** The repo's build script: failsafe passes the repo root; otherwise walk up from the cwd. */
  private static Path findBuildScript() {
    String root = System.getProperty("tunnelier.repo.root");
    if (root != null && Files.isRegularFile(Paths.get(root, BUILD_SCRIPT))) {
      return Paths.get(root, BUILD_SCRIPT).toAbsolutePath();
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(BUILD_SCRIPT))) {
        return dir.resolve(BUILD_SCRIPT);
      }
    }
    throw new IllegalStateException(
        "cannot find "
            + BUILD_SCRIPT
            + " above "
            + Paths.get("").toAbsolutePath()
            + "; set "
            + ASSETS_ENV
            + " to a directory with kube-apiserver, etcd and kubectl");
  }

  /**
   * Runs the build script (a no-op once the binaries are cached). Its progress (stderr) is echoed
   * live, since a cold build takes many minutes; the last line of its stdout is the bin directory.
   */
  private static Path build(Path script) {
    ProcessBuilder builder = new ProcessBuilder("bash", script.toString());
    String cacheDir = System.getProperty("tunnelier.cache.dir");
    Map<String, String> env = builder.environment();
    if (cacheDir != null && !env.containsKey("TUNNELIER_CACHE_DIR")) {
      env.put("TUNNELIER_CACHE_DIR", cacheDir);
    }
    Deque<String> stderrTail = new ArrayDeque<>();
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      Thread echo = new Thread(() -> echo(process, stderrTail), "controlplane-build-log");
      echo.setDaemon(true);
      echo.start();
      List<String> stdout;
      try (BufferedReader out = reader(process.getInputStream())) {
        stdout = out.lines().filter(line -> !line.isBlank()).toList();
      }
      int exit = process.waitFor();
      echo.join(5_000);
      if (exit != 0 || stdout.isEmpty()) {
        String tail;
        synchronized (stderrTail) {
          tail = String.join("\n", stderrTail);
        }
        throw new IllegalStateException(
            "cannot obtain the Kubernetes control plane binaries: "
                + script
                + " exited with code "
                + exit
                + "\n"
                + tail);
      }
      return Paths.get(stdout.get(stdout.size() - 1).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script + " (is bash installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script, e);
    }
  }

  private static void echo(Process process, Deque<String> tail) {
    try (BufferedReader err = reader(process.getErrorStream())) {
      for (String line = err.readLine(); line != null; line = err.readLine()) {
        System.err.println(line);
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > 30) {
            tail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // The process went away; its exit code tells the rest.
    }
  }

  private static BufferedReader reader(java.io.InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }
}
