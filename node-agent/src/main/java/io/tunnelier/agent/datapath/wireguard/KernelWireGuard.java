package io.tunnelier.agent.datapath.wireguard;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.agent.kernel.CommandRunner;
import io.tunnelier.api.keys.X25519Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The kernel's WireGuard: {@code ip link add <dev> type wireguard}, keys and peer through {@code wg
 * setconf} from a file only root can read (never on a command line, where {@code ps} would show the
 * private key), MTU and up through {@code ip}. Chosen when {@link #available()} says the kernel has
 * the module.
 */
public final class KernelWireGuard implements Datapath {
  private final CommandRunner run;
  private final String device;
  private final int mtu;
  private volatile boolean closed;

  private KernelWireGuard(CommandRunner run, String device, int mtu) {
    this.run = run;
    this.device = device;
    this.mtu = mtu;
  }

  /**
   * Whether this kernel can create WireGuard links: tries one in a throwaway network namespace
   * ({@code unshare -n}), so the node's own interfaces are never touched.
   */
  public static boolean available(CommandRunner run) {
    try {
      return run.run(List.of("unshare", "-n", "ip", "link", "add", "wgprobe0", "type", "wireguard"))
          .ok();
    } catch (IOException e) {
      return false;
    }
  }

  /** Creates and configures the device; on failure removes it and rethrows (with stderr). */
  public static KernelWireGuard open(DatapathConfig.WireGuard config, CommandRunner run)
      throws IOException {
    int mtu = config.mtu() > 0 ? config.mtu() : WireGuardDatapath.DEFAULT_MTU;
    String dev = config.deviceName();
    run.runOk(List.of("ip", "link", "add", dev, "type", "wireguard"));
    KernelWireGuard datapath = new KernelWireGuard(run, dev, mtu);
    try {
      Path file =
          Files.createTempFile(
              "wg-",
              ".conf",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(file, setconf(config), StandardCharsets.US_ASCII);
        run.runOk(List.of("wg", "setconf", dev, file.toString()));
      } finally {
        Files.deleteIfExists(file);
      }
      run.runOk(List.of("ip", "link", "set", dev, "mtu", String.valueOf(mtu), "up"));
      return datapath;
    } catch (IOException | RuntimeException e) {
      datapath.close();
      throw e;
    }
  }

  /** The {@code wg setconf} file for one tunnel (contains the private key: never log it). */
  static String setconf(DatapathConfig.WireGuard config) {
    StringBuilder b = new StringBuilder("[Interface]\n");
    b.append("PrivateKey = ").append(X25519Keys.format(config.privateKey())).append('\n');
    if (config.listenPort() > 0) {
      b.append("ListenPort = ").append(config.listenPort()).append('\n');
    }
    b.append("\n[Peer]\nPublicKey = ")
        .append(X25519Keys.format(config.peerPublicKey()))
        .append('\n');
    if (config.presharedKey() != null) {
      b.append("PresharedKey = ").append(X25519Keys.format(config.presharedKey())).append('\n');
    }
    b.append("AllowedIPs = 0.0.0.0/0, ::/0\n");
    if (config.peer() != null) {
      String host = config.peer().getAddress().getHostAddress();
      b.append("Endpoint = ")
          .append(host.contains(":") ? "[" + host + "]" : host)
          .append(':')
          .append(config.peer().getPort())
          .append('\n');
    }
    if (config.keepaliveSeconds() > 0) {
      b.append("PersistentKeepalive = ").append(config.keepaliveSeconds()).append('\n');
    }
    return b.toString();
  }

  @Override
  public String deviceName() {
    return device;
  }

  @Override
  public int mtu() {
    return mtu;
  }

  @Override
  public DatapathStats stats() {
    // wg show <dev> dump, peer line: pubkey psk endpoint allowed-ips handshake rx tx keepalive
    long rx = 0;
    long tx = 0;
    Instant handshake = null;
    String endpoint = null;
    try {
      String[] lines = run.runOk(List.of("wg", "show", device, "dump")).split("\n");
      if (lines.length > 1) {
        String[] f = lines[1].split("\t");
        if (f.length >= 7) {
          endpoint = "(none)".equals(f[2]) ? null : f[2];
          long seconds = Long.parseLong(f[4]);
          handshake = seconds == 0 ? null : Instant.ofEpochSecond(seconds);
          rx = Long.parseLong(f[5]);
          tx = Long.parseLong(f[6]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // stats are best effort; the datapath itself is the kernel's
    }
    return new DatapathStats(0, rx, 0, tx, Map.of(), handshake, endpoint);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      run.run(List.of("ip", "link", "del", device));
    } catch (IOException e) {
      // already gone
    }
  }
}
