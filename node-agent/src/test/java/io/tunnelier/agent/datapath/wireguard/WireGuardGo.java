package io.tunnelier.agent.datapath.wireguard;

import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Netns;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The independent peer of the interoperability tests: a wireguard-go binary (Debian's, or the
 * current one built from the Go module proxy by {@code e2e/bench/build-wireguard-go.sh}) running in
 * the foreground in a lab namespace, configured with the real {@code wg setconf}.
 */
final class WireGuardGo {
  static final String DEBIAN = "/usr/bin/wireguard-go";

  /** A flavour of wireguard-go to test against, with its binary or why it is unavailable. */
  record Flavour(String name, String binary, String unavailable) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final java.util.concurrent.atomic.AtomicInteger DEVICES =
      new java.util.concurrent.atomic.AtomicInteger();

  private WireGuardGo() {}

  /**
   * A device name no other test on this machine uses: wireguard-go's control socket {@code
   * /var/run/wireguard/<dev>.sock} is shared by all namespaces, so two "wg0"s would collide.
   */
  static String uniqueDevice() {
    return "wg" + ProcessHandle.current().pid() % 100000 + "n" + DEVICES.incrementAndGet();
  }

  static List<Flavour> flavours() {
    return List.of(debian(), current());
  }

  static Flavour debian() {
    if (!Files.isExecutable(Path.of(DEBIAN))) {
      return new Flavour("debian", null, DEBIAN + " missing (apt-get install wireguard-go)");
    }
    return new Flavour("debian", DEBIAN, null);
  }

  private static Flavour cached;

  static synchronized Flavour current() {
    if (cached != null) {
      return cached;
    }
    Path script = repoRoot().resolve("e2e/bench/build-wireguard-go.sh");
    Exec.Result r = Exec.run(Duration.ofMinutes(8), List.of("bash", script.toString()));
    String path = r.stdout().strip();
    if (r.exitCode() != 0 || path.isEmpty() || !Files.isExecutable(Path.of(path))) {
      cached =
          new Flavour("current", null, "cannot build current wireguard-go: " + r.stderr().strip());
    } else {
      cached = new Flavour("current", path, null);
    }
    return cached;
  }

  static Path repoRoot() {
    String root = System.getProperty("tunnelier.repo.root");
    if (root != null) {
      return Path.of(root);
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("e2e/bench"))) {
      dir = dir.getParent();
    }
    return dir == null ? Path.of("..").toAbsolutePath() : dir;
  }

  static String genkey() {
    return Exec.run(Duration.ofSeconds(10), List.of("wg", "genkey")).orThrow().stdout().strip();
  }

  static String pubkey(String privateKey) {
    byte[] stdin = (privateKey + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return Exec.run(Duration.ofSeconds(10), List.of("wg", "pubkey"), stdin)
        .orThrow()
        .stdout()
        .strip();
  }

  /**
   * Removes the control socket a killed wireguard-go leaves in {@code /var/run/wireguard} (shared
   * with the host, outside the namespace). Call after the lab is closed.
   */
  static void removeSocket(String device) {
    try {
      Files.deleteIfExists(Path.of("/var/run/wireguard", device + ".sock"));
    } catch (IOException e) {
      // best effort: a stale socket file harms nothing but tidiness
    }
  }

  /** Starts wireguard-go in the foreground and waits for its device. */
  static Process start(Netns ns, String binary, String device, File log) {
    Process process = ns.spawn(log, binary, "-f", device);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (ns.exec("ip", "link", "show", device).exitCode() == 0) {
        return process;
      }
      if (!process.isAlive()) {
        break;
      }
      sleep(50);
    }
    throw new IllegalStateException(binary + " did not create " + device + "; see " + log);
  }

  /** Applies a {@code wg setconf} file (no wg-quick keys) to a device in the namespace. */
  static void setconf(Netns ns, String device, String conf, Path dir) throws IOException {
    Path file = Files.createTempFile(dir, "wg-", ".conf");
    Files.writeString(file, conf);
    ns.execOk("wg", "setconf", device, file.toString());
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
