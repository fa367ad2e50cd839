package io.tunnelier.e2e.bench;

import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Netns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The ways across the same two namespaces {@code a} (192.0.2.1) and {@code b} (192.0.2.2) joined by
 * one veth pair: the veth itself, kernel VXLAN, wireguard-go (Debian's and the current one) and
 * Tunnelier's userspace datapaths. Each opens on demand and is torn down before the next, so every
 * row runs on the same namespaces and the same underlay. Inner addresses are 100.64.0.1/.2 (/30).
 */
final class DatapathPaths {
  static final String A_UNDERLAY = "192.0.2.1";
  static final String B_UNDERLAY = "192.0.2.2";
  static final String A_INNER = "100.64.0.1";
  static final String B_INNER = "100.64.0.2";
  private static final Duration READY = Duration.ofSeconds(120);
  private static final String WIREGUARD_MAIN =
      "io.tunnelier.agent.datapath.wireguard.WireGuardMain";

  /** An open path: where iperf3 and ping aim, its MTU, and the processes that carry it. */
  record Open(String target, int mtu, List<Process> processes, Runnable teardown) {}

  /** What a row needs to open. */
  record Context(Netns a, Netns b, Path work, JvmOptions jvm) {}

  /** JVM flags of a Tunnelier datapath process, per row and end (a profile recording, say). */
  interface JvmOptions {
    List<String> forProcess(String row, String end);
  }

  interface Opener {
    Open open(Context c) throws Exception;
  }

  /**
   * One row of the benchmark.
   *
   * @param anchor a reference implementation (not Tunnelier)
   * @param unavailable why it cannot run here, or null
   */
  record Spec(String id, String label, boolean anchor, String unavailable, Opener opener) {}

  private DatapathPaths() {}

  /** Every row, in the order they run and print. */
  static List<Spec> all(String currentWireGuardGo) {
    List<Spec> specs = new ArrayList<>();
    specs.add(new Spec("veth", "raw veth (the limit)", true, null, c -> veth()));
    specs.add(new Spec("vxlan", "kernel VXLAN", true, null, DatapathPaths::vxlan));
    String debian = "/usr/bin/wireguard-go";
    specs.add(
        new Spec(
            "wg-go-debian",
            "wireguard-go " + version(debian) + " (Debian)",
            true,
            Files.isExecutable(Path.of(debian)) ? null : debian + " missing (apt wireguard-go)",
            c -> wireguardGo(c, debian, "d")));
    boolean current = currentWireGuardGo != null && Files.isExecutable(Path.of(currentWireGuardGo));
    specs.add(
        new Spec(
            "wg-go-current",
            "wireguard-go " + (current ? version(currentWireGuardGo) : "") + " (current)",
            true,
            current ? null : "no current wireguard-go built (--wireguard-go PATH)",
            c -> wireguardGo(c, currentWireGuardGo, "c")));
    specs.add(
        new Spec(
            "gre-raw", "Tunnelier GRE (raw IP)", false, null, c -> tunnelierGre(c, "gre-raw")));
    specs.add(
        new Spec("gre-udp", "Tunnelier GRE-in-UDP", false, null, c -> tunnelierGre(c, "gre-udp")));
    specs.add(
        new Spec(
            "wireguard",
            "Tunnelier WireGuard",
            false,
            classPresent(WIREGUARD_MAIN)
                ? null
                : "no " + WIREGUARD_MAIN + " (branch wg not merged)",
            DatapathPaths::tunnelierWireGuard));
    return specs;
  }

  private static Open veth() {
    return new Open(B_UNDERLAY, 1500, List.of(), () -> {});
  }

  private static Open vxlan(Context c) {
    for (Netns ns : List.of(c.a(), c.b())) {
      boolean isA = ns == c.a();
      ns.ip(
          "link add vx0 type vxlan id 42 local "
              + (isA ? A_UNDERLAY : B_UNDERLAY)
              + " remote "
              + (isA ? B_UNDERLAY : A_UNDERLAY)
              + " dstport 4789 dev eth0");
      ns.ip("addr add " + (isA ? A_INNER : B_INNER) + "/30 dev vx0");
      ns.ip("link set vx0 up");
    }
    return new Open(
        B_INNER,
        mtu(c.a(), "vx0"),
        List.of(),
        () -> {
          c.a().exec("ip", "link", "del", "vx0");
          c.b().exec("ip", "link", "del", "vx0");
        });
  }

  private static Open tunnelierGre(Context c, String row) throws Exception {
    String mode = row.equals("gre-udp") ? "udp" : "raw";
    List<Process> processes = new ArrayList<>();
    Runnable teardown = () -> processes.forEach(p -> LabJava.stop(p, Duration.ofSeconds(15)));
    try {
      // b learns its peer from the first packet, as the VPS does; a sends to b.
      processes.add(
          greEnd(
              c,
              row,
              "b",
              "device=tnl0,mode="
                  + mode
                  + ",local="
                  + B_UNDERLAY
                  + ",key=4242,"
                  + "address="
                  + B_INNER
                  + "/30"));
      processes.add(
          greEnd(
              c,
              row,
              "a",
              "device=tnl0,mode="
                  + mode
                  + ",local="
                  + A_UNDERLAY
                  + ",peer="
                  + B_UNDERLAY
                  + ",key=4242,address="
                  + A_INNER
                  + "/30"));
      return new Open(B_INNER, mtu(c.a(), "tnl0"), List.copyOf(processes), teardown);
    } catch (Exception | Error e) {
      teardown.run();
      throw e;
    }
  }

  private static Process greEnd(Context c, String row, String end, String tunnel) {
    Netns ns = end.equals("a") ? c.a() : c.b();
    Path log = c.work().resolve(row + "-" + end + ".log");
    Process p =
        LabJava.start(
            ns,
            log,
            c.jvm().forProcess(row, end),
            "io.tunnelier.agent.datapath.gre.GreTunnelMain",
            List.of("--tunnel", tunnel));
    LabJava.awaitLog(p, log, text -> text.contains("READY "), READY);
    return p;
  }

  private static Open tunnelierWireGuard(Context c) throws Exception {
    String ka = genkey();
    String kb = genkey();
    List<Process> processes = new ArrayList<>();
    Runnable teardown = () -> processes.forEach(p -> LabJava.stop(p, Duration.ofSeconds(15)));
    try {
      processes.add(wireGuardEnd(c, "b", kb, pubkey(ka), null));
      processes.add(wireGuardEnd(c, "a", ka, pubkey(kb), B_UNDERLAY + ":51820"));
      return new Open(B_INNER, mtu(c.a(), "wgt0"), List.copyOf(processes), teardown);
    } catch (Exception | Error e) {
      teardown.run();
      throw e;
    }
  }

  private static Process wireGuardEnd(
      Context c, String end, String key, String peerPublic, String endpoint) throws IOException {
    Netns ns = end.equals("a") ? c.a() : c.b();
    Path keyFile = secretFile(c.work(), "wireguard-" + end + ".key", key);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--device", "wgt0",
                "--private-key-file", keyFile.toString(),
                "--peer-public-key", peerPublic,
                "--listen-port", "51820",
                "--datapath", "userspace",
                "--mtu", "1420",
                "--offloads", "true"));
    if (endpoint != null) {
      args.addAll(List.of("--endpoint", endpoint));
    }
    Path log = c.work().resolve("wireguard-" + end + ".log");
    Process p = LabJava.start(ns, log, c.jvm().forProcess("wireguard", end), WIREGUARD_MAIN, args);
    LabJava.awaitLog(p, log, text -> text.contains("up: "), READY);
    Files.delete(keyFile); // read at start; no key stays on disk
    ns.ip("addr add " + (end.equals("a") ? A_INNER : B_INNER) + "/30 dev wgt0");
    return p;
  }

  /**
   * wireguard-go in both namespaces, configured with wg(8). Its control socket lives in the shared
   * /var/run/wireguard and it exits when that file goes, so each end's device name is unique.
   */
  private static Open wireguardGo(Context c, String binary, String tag) throws Exception {
    String ka = genkey();
    String kb = genkey();
    String dev = "wg" + tag + (ProcessHandle.current().pid() % 100000);
    List<Process> processes = new ArrayList<>();
    Runnable teardown =
        () -> {
          processes.forEach(p -> LabJava.stop(p, Duration.ofSeconds(5)));
          removeControlSocket(dev + "a");
          removeControlSocket(dev + "b");
        };
    try {
      processes.add(wireguardGoEnd(c, binary, dev + "b", "b", kb, pubkey(ka), null));
      processes.add(
          wireguardGoEnd(c, binary, dev + "a", "a", ka, pubkey(kb), B_UNDERLAY + ":51820"));
      return new Open(B_INNER, 1420, List.copyOf(processes), teardown);
    } catch (Exception | Error e) {
      teardown.run();
      throw e;
    }
  }

  static void removeControlSocket(String dev) {
    try {
      Files.deleteIfExists(Path.of("/var/run/wireguard", dev + ".sock"));
    } catch (IOException ignored) {
      // best effort: a stale socket only blocks this device name
    }
  }

  private static Process wireguardGoEnd(
      Context c, String binary, String dev, String end, String key, String peerPublic, String ep)
      throws IOException {
    Netns ns = end.equals("a") ? c.a() : c.b();
    Path log = c.work().resolve(dev + ".log");
    removeControlSocket(dev);
    // Debian's build refuses to start where the kernel has WireGuard unless told to.
    Process p =
        ns.spawn(
            log.toFile(),
            "env",
            "WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1",
            binary,
            "-f",
            dev);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!Files.exists(Path.of("/var/run/wireguard", dev + ".sock"))) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(binary + " did not start:\n" + LabJava.read(log));
      }
      LabJava.sleep(50);
    }
    String conf =
        "[Interface]\nPrivateKey = "
            + key
            + "\nListenPort = 51820\n[Peer]\nPublicKey = "
            + peerPublic
            + "\nAllowedIPs = "
            + (end.equals("a") ? B_INNER : A_INNER)
            + "/32\n"
            + (ep == null ? "" : "Endpoint = " + ep + "\n");
    Path confFile = secretFile(c.work(), dev + ".conf", conf);
    ns.execOk("wg", "setconf", dev, confFile.toString());
    Files.delete(confFile);
    ns.ip("link set " + dev + " mtu 1420 up");
    ns.ip("addr add " + (end.equals("a") ? A_INNER : B_INNER) + "/30 dev " + dev);
    return p;
  }

  static String genkey() {
    return Exec.run(Duration.ofSeconds(10), List.of("wg", "genkey")).orThrow().stdout().strip();
  }

  static String pubkey(String privateKey) {
    return Exec.run(Duration.ofSeconds(10), List.of("wg", "pubkey"), (privateKey + "\n").getBytes())
        .orThrow()
        .stdout()
        .strip();
  }

  private static Path secretFile(Path dir, String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, content);
    return file;
  }

  static int mtu(Netns ns, String dev) {
    return Integer.parseInt(ns.ip("-o link show " + dev).replaceAll("(?s).* mtu (\\d+) .*", "$1"));
  }

  static String version(String binary) {
    try {
      String out = Exec.run(Duration.ofSeconds(10), List.of(binary, "--version")).stdout().strip();
      return out.lines().findFirst().orElse("").replace("wireguard-go ", "");
    } catch (RuntimeException e) {
      return "?";
    }
  }

  static boolean classPresent(String name) {
    try {
      Class.forName(name, false, DatapathPaths.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** Removes a scratch directory (logs, key files); never throws. */
  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      System.err.println("cannot remove " + dir + ": " + e.getMessage());
    }
  }
}
