package io.tunnelier.agent.datapath.wireguard;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.api.keys.X25519Keys;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one WireGuard tunnel in the current network namespace until terminated: what the agent does
 * per tunnel, as a process of its own (labs and benchmarks start it inside a namespace). Keys are
 * read from files, never taken on the command line.
 *
 * <pre>
 * WireGuardMain --device wg0 --private-key-file F --peer-public-key B64
 *     [--preshared-key-file F] [--listen-port 51820] [--endpoint host:port] [--keepalive S]
 *     [--mtu 1420] [--datapath auto|kernel|userspace] [--offloads true|false] [--stats-file F]
 * </pre>
 */
public final class WireGuardMain {
  private WireGuardMain() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    InetSocketAddress endpoint = null;
    if (args.containsKey("endpoint")) {
      String value = args.get("endpoint");
      int colon = value.lastIndexOf(':');
      endpoint =
          new InetSocketAddress(
              InetAddress.getByName(value.substring(0, colon).replaceAll("[\\[\\]]", "")),
              Integer.parseInt(value.substring(colon + 1)));
    }
    DatapathConfig.WireGuard config =
        new DatapathConfig.WireGuard(
            args.getOrDefault("device", "wg0"),
            Integer.parseInt(args.getOrDefault("mtu", "0")),
            readKey(args.get("private-key-file")),
            X25519Keys.parse(args.get("peer-public-key")),
            args.containsKey("preshared-key-file") ? readKey(args.get("preshared-key-file")) : null,
            Integer.parseInt(args.getOrDefault("listen-port", "51820")),
            endpoint,
            Integer.parseInt(args.getOrDefault("keepalive", "0")));
    WireGuardDatapathFactory factory =
        new WireGuardDatapathFactory(
            WireGuardDatapathFactory.Mode.valueOf(
                args.getOrDefault("datapath", "auto").toUpperCase(java.util.Locale.ROOT)),
            Boolean.parseBoolean(args.getOrDefault("offloads", "true")),
            WireGuardDatapath.Options.defaults());
    Datapath datapath = factory.open(config);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  datapath.close();
                  stop.countDown();
                }));
    System.out.println("up: " + config + " as " + datapath.getClass().getSimpleName());
    Path stats = args.containsKey("stats-file") ? Path.of(args.get("stats-file")) : null;
    while (!stop.await(stats == null ? 60_000 : 200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      if (stats != null) {
        writeStats(stats, datapath);
      }
    }
  }

  private static byte[] readKey(String file) throws java.io.IOException {
    return X25519Keys.parse(Files.readString(Path.of(file), StandardCharsets.US_ASCII));
  }

  /** key=value lines, replaced atomically; carries no key material. */
  static void writeStats(Path file, Datapath datapath) throws java.io.IOException {
    DatapathStats s = datapath.stats();
    StringBuilder b = new StringBuilder();
    b.append("device=").append(datapath.deviceName()).append('\n');
    b.append("rxPackets=").append(s.rxPackets()).append('\n');
    b.append("rxBytes=").append(s.rxBytes()).append('\n');
    b.append("txPackets=").append(s.txPackets()).append('\n');
    b.append("txBytes=").append(s.txBytes()).append('\n');
    b.append("lastHandshake=").append(s.lastHandshake()).append('\n');
    b.append("endpoint=").append(s.peerEndpoint()).append('\n');
    if (datapath instanceof WireGuardDatapath wg) {
      Peer peer = wg.peer();
      b.append("handshakes=").append(peer.handshakesCompleted()).append('\n');
      b.append("initiationsSent=").append(peer.initiationsSent()).append('\n');
      b.append("responsesSent=").append(peer.responsesSent()).append('\n');
      b.append("cookieRepliesSent=").append(peer.cookieRepliesSent()).append('\n');
    }
    s.drops().forEach((k, v) -> b.append("drop.").append(k).append('=').append(v).append('\n'));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, b.toString());
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
