package io.tunnelier.agent.datapath.gre;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.agent.kernel.CommandRunner;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tunnel carried by the kernel's own {@code gre} device (ip_gre), for nodes that have the module:
 * the datapath only creates, watches and removes the device; packets never reach userspace.
 */
public final class KernelGreDatapath implements Datapath {
  private static final Logger LOG = LoggerFactory.getLogger(KernelGreDatapath.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CommandRunner ip;
  private final GreSettings settings;
  private final int mtu;
  private final Runnable release;
  private boolean closed;

  private KernelGreDatapath(CommandRunner ip, GreSettings settings, int mtu, Runnable release) {
    this.ip = ip;
    this.settings = settings;
    this.mtu = mtu;
    this.release = release;
  }

  /** Creates the device; on failure removes whatever was created and rethrows. */
  static KernelGreDatapath create(CommandRunner ip, GreSettings settings, int mtu, Runnable release)
      throws IOException {
    var commands = KernelGreCommands.create(settings, mtu);
    try {
      for (var command : commands) {
        ip.runOk(command);
      }
    } catch (IOException | RuntimeException e) {
      ip.run(KernelGreCommands.delete(settings.deviceName()));
      release.run();
      throw e;
    }
    LOG.atInfo()
        .setMessage("kernel GRE device up")
        .addKeyValue("device", settings.deviceName())
        .addKeyValue("peer", settings.peer())
        .addKeyValue("mtu", mtu)
        .log();
    return new KernelGreDatapath(ip, settings, mtu, release);
  }

  @Override
  public String deviceName() {
    return settings.deviceName();
  }

  @Override
  public int mtu() {
    return mtu;
  }

  /** The kernel's counters for the device ({@code ip -j -s link}); zeros if it cannot be read. */
  @Override
  public DatapathStats stats() {
    Map<String, Long> drops = new TreeMap<>();
    long rxPackets = 0;
    long rxBytes = 0;
    long txPackets = 0;
    long txBytes = 0;
    try {
      JsonNode link = JSON.readTree(ip.runOk(KernelGreCommands.statistics(deviceName()))).path(0);
      JsonNode stats = link.path("stats64");
      rxPackets = stats.path("rx").path("packets").asLong();
      rxBytes = stats.path("rx").path("bytes").asLong();
      txPackets = stats.path("tx").path("packets").asLong();
      txBytes = stats.path("tx").path("bytes").asLong();
      putIfPositive(drops, "kernel-rx-errors", stats.path("rx").path("errors").asLong());
      putIfPositive(drops, "kernel-rx-dropped", stats.path("rx").path("dropped").asLong());
      putIfPositive(drops, "kernel-tx-errors", stats.path("tx").path("errors").asLong());
      putIfPositive(drops, "kernel-tx-dropped", stats.path("tx").path("dropped").asLong());
    } catch (IOException | RuntimeException e) {
      drops.put("kernel-stats-unreadable", 1L);
    }
    return new DatapathStats(
        rxPackets,
        rxBytes,
        txPackets,
        txBytes,
        Map.copyOf(drops),
        null,
        settings.peer().toString());
  }

  private static void putIfPositive(Map<String, Long> into, String key, long value) {
    if (value > 0) {
      into.put(key, value);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      ip.run(KernelGreCommands.delete(deviceName()));
    } catch (IOException e) {
      LOG.atWarn()
          .setMessage("removing kernel GRE device failed")
          .addKeyValue("device", deviceName())
          .addKeyValue("error", e.getMessage())
          .log();
    }
    release.run();
  }
}
