package io.tunnelier.agent.datapath.gre;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.agent.datapath.net.PacketSocket;
import io.tunnelier.agent.datapath.tun.TunDevice;
import io.tunnelier.agent.datapath.tun.TunOptions;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Opens userspace GRE datapaths (GRE over raw IP, or GRE-in-UDP) on TUN devices, in the network
 * namespace of the calling thread. Tunnels with the same transport and local address share one
 * socket and one receive loop, demultiplexed by key: that is how one VPS serves many clusters.
 *
 * <p>MTU: the device gets the configured MTU, or else the underlay MTU (of the route to the peer,
 * or of the local address's interface, or 1500) minus the encapsulation overhead. Inner packets
 * above that limit with DF set (and IPv6 ones) are answered with ICMP too big.
 */
public final class UserspaceGreDatapathFactory {
  private static final Logger LOG = LoggerFactory.getLogger(UserspaceGreDatapathFactory.class);
  private static final int DEFAULT_UNDERLAY_MTU = 1500;
  private static final int MIN_RECEIVE_SLOT = 9216;

  /**
   * @param offloads TUN TSO/coalescing and UDP GSO/GRO (the fast path); off gives one system call
   *     per packet, for comparison and for kernels without them
   */
  public record Options(boolean offloads, int senders) {
    public Options {
      if (senders < 1) {
        throw new IllegalArgumentException("senders: at least 1, not " + senders);
      }
    }

    /**
     * Offloads on; a transmit loop per core, up to four: busy tunnels get the cores, idle ones cost
     * no thread.
     */
    public static Options defaults() {
      return new Options(true, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }
  }

  private record TransportKey(boolean udp, Endpoint local) {}

  private static final class Shared {
    final GreTransport transport;
    int users;

    Shared(GreTransport transport) {
      this.transport = transport;
    }
  }

  private final GrePlatform platform;
  private final Options options;
  private final Map<TransportKey, Shared> transports = new HashMap<>();
  private final GreSender[] senders;

  public UserspaceGreDatapathFactory() {
    this(new LinuxGrePlatform(), Options.defaults());
  }

  public UserspaceGreDatapathFactory(GrePlatform platform, Options options) {
    this.platform = platform;
    this.options = options;
    this.senders = new GreSender[options.senders()];
  }

  public Datapath open(DatapathConfig config) throws IOException {
    if (!(config instanceof DatapathConfig.Gre gre)) {
      throw new IllegalArgumentException("not a GRE config: " + config.getClass().getSimpleName());
    }
    GreSettings settings = GreSettings.of(gre);
    int overhead = settings.overhead();
    int underlay = platform.underlayMtu(settings.peer(), settings.local());
    if (underlay <= 0) {
      underlay = DEFAULT_UNDERLAY_MTU;
    }
    int innerMtu = GreOverhead.tunnelMtu(underlay, overhead);
    int deviceMtu = settings.mtu() > 0 ? settings.mtu() : innerMtu;
    if (deviceMtu < 576) {
      throw new IllegalArgumentException(
          "mtu: underlay MTU "
              + underlay
              + " leaves only "
              + deviceMtu
              + " bytes after the "
              + overhead
              + "-byte GRE overhead (576 needed)");
    }
    innerMtu = Math.min(innerMtu, deviceMtu);
    TunDevice device =
        platform.openTun(
            new TunOptions(
                settings.deviceName(), deviceMtu, options.offloads(), GreDatapath.BATCH));
    try {
      GreTunnel tunnel =
          new GreTunnel(
              device.name(),
              settings.key(),
              settings.sequence(),
              settings.checksum(),
              settings.udp(),
              settings.peer(),
              innerMtu,
              device,
              SourceFilter.of(gre.allowedSources()));
      TransportKey key = new TransportKey(settings.udp(), settings.local());
      GreTransport transport = acquire(key, Math.max(MIN_RECEIVE_SLOT, deviceMtu + overhead));
      GreSender sender = null;
      try {
        sender = acquireSender();
        GreSender used = sender;
        GreDatapath datapath =
            new GreDatapath(
                tunnel,
                device,
                transport,
                sender,
                deviceMtu,
                () -> {
                  release(key);
                  releaseSender(used);
                });
        LoggingEventBuilder up =
            LOG.atInfo()
                .setMessage("userspace GRE tunnel up")
                .addKeyValue("device", device.name())
                .addKeyValue("encapsulation", settings.udp() ? "gre-in-udp" : "gre")
                // Whether, never which: the key is what a stranger would need to inject packets.
                .addKeyValue("keyed", settings.key() != GreTunnel.NO_KEY)
                .addKeyValue("local", transport.socket().localEndpoint())
                .addKeyValue(
                    "peer",
                    settings.peer() != null
                        ? settings.peer()
                        : "learned from " + SourceFilter.of(gre.allowedSources()))
                .addKeyValue("mtu", deviceMtu)
                .addKeyValue("underlayMtu", underlay)
                .addKeyValue("overhead", overhead);
        if (innerMtu < deviceMtu) {
          up.addKeyValue("icmpAbove", innerMtu);
        }
        up.log();
        if (settings.peer() == null && gre.allowedSources().isEmpty()) {
          LOG.atWarn()
              .setMessage(
                  "GRE tunnel learns its peer from any source: set allowedSources (the cluster's"
                      + " gateway addresses) so a stranger with the key cannot take the tunnel"
                      + " over")
              .addKeyValue("device", device.name())
              .log();
        }
        return datapath;
      } catch (IOException | RuntimeException e) {
        if (sender != null) {
          sender.remove(tunnel);
          releaseSender(sender);
        }
        transport.unregister(tunnel);
        release(key);
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      device.close();
      throw e;
    }
  }

  private synchronized GreTransport acquire(TransportKey key, int maxPacket) throws IOException {
    Shared shared = transports.get(key);
    if (shared == null) {
      PacketSocket socket =
          key.udp()
              ? platform.openUdp(key.local(), GreTransport.BATCH, options.offloads())
              : platform.openRawGre(key.local(), GreTransport.BATCH);
      String name = (key.udp() ? "udp-" : "raw-") + key.local();
      shared = new Shared(new GreTransport(socket, name, Math.min(65535, maxPacket)));
      transports.put(key, shared);
    }
    shared.users++;
    return shared.transport;
  }

  /**
   * The sender for a new tunnel: a new one while fewer than {@code senders} run (so the first busy
   * tunnels get a core each), else the one serving the fewest tunnels.
   */
  private synchronized GreSender acquireSender() throws IOException {
    int least = -1;
    for (int i = 0; i < senders.length; i++) {
      if (senders[i] == null) {
        senders[i] = new GreSender(platform.openWaiter(), "gre-tx-" + i);
        return senders[i];
      }
      if (least < 0 || senders[i].size() < senders[least].size()) {
        least = i;
      }
    }
    return senders[least];
  }

  /** Transmit loops running now. */
  synchronized int senders() {
    int n = 0;
    for (GreSender s : senders) {
      n += s == null ? 0 : 1;
    }
    return n;
  }

  private synchronized void releaseSender(GreSender sender) {
    for (int i = 0; i < senders.length; i++) {
      if (senders[i] == sender && sender.size() == 0) {
        senders[i] = null;
        sender.close();
      }
    }
  }

  private synchronized void release(TransportKey key) {
    Shared shared = transports.get(key);
    if (shared != null && --shared.users == 0) {
      transports.remove(key);
      shared.transport.close();
    }
  }
}
