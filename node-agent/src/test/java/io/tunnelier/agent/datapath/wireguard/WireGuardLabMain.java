package io.tunnelier.agent.datapath.wireguard;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.agent.datapath.net.UdpSocket;
import io.tunnelier.agent.datapath.wireguard.noise.Entropy;
import io.tunnelier.api.keys.X25519Keys;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test-only process for interoperability ITs: the real {@link WireGuardDatapath} and UDP socket
 * inside a lab namespace, with an {@link EchoDevice} in place of the TUN device. Writes its
 * counters to {@code --stats-file} every 100 ms. Options: --private-key-file, --peer-public-key,
 * --listen-port, --endpoint host:port, --keepalive s, --address a.b.c.d, --ping a.b.c.d,
 * --ping-count n, --ping-interval-ms n, --rekey-after-seconds s (test-only shortening).
 */
public final class WireGuardLabMain {
  private WireGuardLabMain() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    byte[] privateKey =
        X25519Keys.parse(
            Files.readString(Path.of(args.get("private-key-file")), StandardCharsets.US_ASCII));
    byte[] peerPublic = X25519Keys.parse(args.get("peer-public-key"));
    InetSocketAddress endpoint = null;
    if (args.containsKey("endpoint")) {
      String[] hp = args.get("endpoint").split(":");
      endpoint = new InetSocketAddress(InetAddress.getByName(hp[0]), Integer.parseInt(hp[1]));
    }
    DatapathConfig.WireGuard config =
        new DatapathConfig.WireGuard(
            "echo0",
            1420,
            privateKey,
            peerPublic,
            null,
            Integer.parseInt(args.getOrDefault("listen-port", "51820")),
            endpoint,
            Integer.parseInt(args.getOrDefault("keepalive", "0")));
    long rekey =
        args.containsKey("rekey-after-seconds")
            ? TimeUnit.SECONDS.toNanos(Long.parseLong(args.get("rekey-after-seconds")))
            : Constants.REKEY_AFTER_TIME;
    EchoDevice device = new EchoDevice(InetAddress.getByName(args.get("address")).getAddress());
    UdpSocket socket =
        UdpSocket.open(
            Endpoint.of(InetAddress.getByName("0.0.0.0"), config.listenPort()),
            UdpSocket.Options.plain(64));
    WireGuardDatapath datapath =
        new WireGuardDatapath(
            config,
            device,
            socket,
            new WireGuardDatapath.Options(64, true, rekey, Entropy.secure()));
    System.out.println("started " + config + " port " + datapath.listenPort());

    Path stats = Path.of(args.get("stats-file"));
    byte[] pingTarget =
        args.containsKey("ping") ? InetAddress.getByName(args.get("ping")).getAddress() : null;
    int pingCount = Integer.parseInt(args.getOrDefault("ping-count", "0"));
    long pingInterval = Long.parseLong(args.getOrDefault("ping-interval-ms", "200"));
    long nextPing = System.currentTimeMillis();
    int sent = 0;
    while (true) {
      long nowMs = System.currentTimeMillis();
      if (pingTarget != null && sent < pingCount && nowMs >= nextPing) {
        device.ping(pingTarget, sent++, 56);
        nextPing = nowMs + pingInterval;
      }
      write(stats, datapath, device, sent);
      Thread.sleep(50);
    }
  }

  private static void write(Path file, WireGuardDatapath datapath, EchoDevice device, int sent)
      throws Exception {
    DatapathStats s = datapath.stats();
    Peer peer = datapath.peer();
    StringBuilder b = new StringBuilder();
    b.append("rxPackets=").append(s.rxPackets()).append('\n');
    b.append("txPackets=").append(s.txPackets()).append('\n');
    b.append("handshakes=").append(peer.handshakesCompleted()).append('\n');
    b.append("initiationsSent=").append(peer.initiationsSent()).append('\n');
    b.append("responsesSent=").append(peer.responsesSent()).append('\n');
    b.append("cookieRepliesSent=").append(peer.cookieRepliesSent()).append('\n');
    b.append("pingsSent=").append(sent).append('\n');
    b.append("echoReplies=").append(device.repliesReceived()).append('\n');
    b.append("echoRequestsAnswered=").append(device.requestsAnswered()).append('\n');
    b.append("endpoint=").append(s.peerEndpoint()).append('\n');
    s.drops().forEach((k, v) -> b.append("drop.").append(k).append('=').append(v).append('\n'));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, b.toString());
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
