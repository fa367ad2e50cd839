package io.tunnelier.agent.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A set of network namespaces joined by veth pairs, for tests on the real kernel. Safety rules
 * (ARCHITECTURE.md): names carry a unique per-run prefix; addresses come only from the lab's ranges
 * ({@link LabAddresses}); nothing is created in, or changed on, the host's own namespace; every
 * namespace and process is removed on {@link #close()}, on JVM exit (Ctrl-C), and by the next run
 * if this JVM was killed.
 */
public final class Lab implements AutoCloseable {
  private static final Pattern OURS = Pattern.compile("^tl(\\d+)-.*");
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final String prefix;
  private final List<Netns> namespaces = Collections.synchronizedList(new ArrayList<>());
  private final List<Process> processes = Collections.synchronizedList(new ArrayList<>());
  private final Thread shutdownHook = new Thread(this::close, "lab-cleanup");
  private volatile boolean closed;

  private Lab(String prefix) {
    this.prefix = prefix;
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** A new lab; first removes namespaces left by lab runs whose JVM no longer exists. */
  public static Lab create() {
    sweepStale();
    return new Lab("tl" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet() + "-");
  }

  /** Whether this process may build labs (root, ip and nft present); the reason if not. */
  public static String unavailableReason() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "network-namespace lab needs root (running as "
          + System.getProperty("user.name")
          + ")";
    }
    for (String tool : List.of("/usr/sbin/ip", "/usr/sbin/nft")) {
      if (!Files.isExecutable(Path.of(tool))) {
        return tool + " is missing (install iproute2 and nftables: e2e/bin/prerequisites)";
      }
    }
    return null;
  }

  /** For *IT tests: skips, saying why on stderr and in the report, when no lab can exist here. */
  public static void assumeAvailable() {
    String reason = unavailableReason();
    if (reason != null) {
      System.err.println("[lab] SKIPPED: " + reason);
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(reason == null, reason);
  }

  public String prefix() {
    return prefix;
  }

  /** Creates a namespace named {@code <prefix><role>} with loopback up. */
  public Netns netns(String role) {
    String name = prefix + role;
    Exec.run(TIMEOUT, List.of("ip", "netns", "add", name)).orThrow();
    Netns ns = new Netns(this, name);
    namespaces.add(ns);
    ns.ip("link set lo up");
    return ns;
  }

  /**
   * Joins two namespaces with a veth pair created directly inside them (never in the host's
   * namespace), assigns lab addresses and brings both ends up.
   */
  public void veth(Netns a, String ifA, String cidrA, Netns b, String ifB, String cidrB) {
    veth(a, ifA, cidrA, b, ifB, cidrB, 1500);
  }

  public void veth(Netns a, String ifA, String cidrA, Netns b, String ifB, String cidrB, int mtu) {
    Exec.run(
            TIMEOUT,
            List.of(
                "ip",
                "link",
                "add",
                ifA,
                "netns",
                a.name(),
                "mtu",
                String.valueOf(mtu),
                "type",
                "veth",
                "peer",
                "name",
                ifB,
                "netns",
                b.name(),
                "mtu",
                String.valueOf(mtu)))
        .orThrow();
    address(a, ifA, cidrA);
    address(b, ifB, cidrB);
  }

  /** Adds a lab address to an interface in a lab namespace and brings it up. */
  public void address(Netns ns, String ifName, String cidr) {
    if (cidr != null) {
      ns.ip("addr add " + LabAddresses.check(cidr) + " dev " + ifName);
    }
    ns.ip("link set " + ifName + " up");
  }

  void track(Process process) {
    processes.add(process);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<Process> toStop;
    synchronized (processes) {
      toStop = new ArrayList<>(processes);
    }
    for (Process process : toStop) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    for (Process process : toStop) {
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<Netns> toDelete;
    synchronized (namespaces) {
      toDelete = new ArrayList<>(namespaces);
    }
    for (Netns ns : toDelete) {
      delete(ns.name());
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // close() runs from the hook itself
    }
  }

  /** Kills whatever still runs in a namespace, then deletes it. */
  static void delete(String name) {
    Exec.Result pids = Exec.run(TIMEOUT, List.of("ip", "netns", "pids", name));
    for (String pid : pids.stdout().split("\\s+")) {
      if (!pid.isBlank()) {
        ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    Exec.run(TIMEOUT, List.of("ip", "netns", "del", name));
  }

  private static void sweepStale() {
    Exec.Result list = Exec.run(TIMEOUT, List.of("ip", "netns", "list"));
    for (String line : list.stdout().split("\n")) {
      String name = line.split(" ")[0].strip();
      Matcher m = OURS.matcher(name);
      if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
        delete(name);
      }
    }
  }
}
