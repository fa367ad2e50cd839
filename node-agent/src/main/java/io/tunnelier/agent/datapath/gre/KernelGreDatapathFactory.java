package io.tunnelier.agent.datapath.gre;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.net.PathMtu;
import io.tunnelier.agent.kernel.CommandRunner;
import io.tunnelier.agent.kernel.ProcessRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Opens kernel GRE tunnels ({@link KernelGreDatapath}) through iproute2. For GRE-in-UDP it also
 * owns the FOU receive port, shared by the tunnels that use it and removed with the last one. MTU
 * as in the userspace datapath: configured, or underlay minus overhead.
 */
public final class KernelGreDatapathFactory {
  private static final int DEFAULT_UNDERLAY_MTU = 1500;

  /** The underlay MTU toward a peer; -1 when unknown. */
  public interface UnderlayMtu {
    int toward(io.tunnelier.agent.datapath.net.Endpoint peer);
  }

  private final CommandRunner ip;
  private final UnderlayMtu underlay;
  private final Map<Integer, Integer> fouUsers = new HashMap<>();

  /** Kernel devices in this process's network namespace. */
  public KernelGreDatapathFactory() {
    this(new ProcessRunner(Duration.ofSeconds(30)), PathMtu::toward);
  }

  public KernelGreDatapathFactory(CommandRunner ip, UnderlayMtu underlay) {
    this.ip = ip;
    this.underlay = underlay;
  }

  public Datapath open(DatapathConfig config) throws IOException {
    if (!(config instanceof DatapathConfig.Gre gre)) {
      throw new IllegalArgumentException("not a GRE config: " + config.getClass().getSimpleName());
    }
    GreSettings settings = GreSettings.of(gre);
    KernelGreCommands.create(settings, 0); // validates (peer required) before touching anything
    int mtu = settings.mtu();
    if (mtu == 0) {
      int u = underlay.toward(settings.peer());
      mtu = GreOverhead.tunnelMtu(u > 0 ? u : DEFAULT_UNDERLAY_MTU, settings.overhead());
    }
    Runnable release = () -> {};
    if (settings.udp()) {
      int port = settings.local().port();
      acquireFou(port);
      release = () -> releaseFou(port);
    }
    return KernelGreDatapath.create(ip, settings, mtu, release);
  }

  private synchronized void acquireFou(int port) throws IOException {
    int users = fouUsers.getOrDefault(port, 0);
    if (users == 0) {
      CommandRunner.Result r = ip.run(KernelGreCommands.fouAdd(port));
      if (!r.ok() && !r.stderr().contains("File exists")) {
        throw new IOException(
            String.join(" ", KernelGreCommands.fouAdd(port)) + ": " + r.stderr().strip());
      }
    }
    fouUsers.put(port, users + 1);
  }

  private synchronized void releaseFou(int port) {
    int users = fouUsers.getOrDefault(port, 0) - 1;
    if (users <= 0) {
      fouUsers.remove(port);
      try {
        ip.run(KernelGreCommands.fouDelete(port));
      } catch (IOException e) {
        // best effort: the port stays open until the next sync removes it
      }
    } else {
      fouUsers.put(port, users);
    }
  }

  /**
   * Why this kernel cannot carry GRE, or null if it can: creates and deletes a throwaway gre link
   * through {@code ip} (in tests, a runner {@link CommandRunner#prefixed} into a throwaway
   * namespace). "Unknown device type" or "Operation not supported" mean no ip_gre module.
   */
  public static String unavailableReason(CommandRunner ip) throws IOException {
    String probe = "greprobe" + (System.nanoTime() % 100000);
    CommandRunner.Result r = ip.run(KernelGreCommands.probe(probe));
    if (r.ok()) {
      ip.run(KernelGreCommands.delete(probe));
      return null;
    }
    return "kernel has no GRE support (ip link add type gre: " + r.stderr().strip() + ")";
  }
}
