package io.tunnelier.api.peerconfig;

import java.util.List;
import java.util.Objects;

/**
 * A wg-quick(8) configuration file: one {@code [Interface]} and its {@code [Peer]} sections, as
 * stock WireGuard ({@code wg-quick up ./wg0.conf}) reads it. Pure: {@link #render()} builds the
 * text and nothing else. The operator renders the far end's file into the {@code
 * <name>-peer-config} Secret.
 *
 * @param iface the local interface
 * @param peers the peers; usually one
 * @param comment leading comment lines (without {@code #}), may be empty
 */
public record WgQuickFile(Interface iface, List<Peer> peers, List<String> comment) {
  public WgQuickFile {
    Objects.requireNonNull(iface, "iface");
    peers = List.copyOf(peers);
    comment = comment == null ? List.of() : List.copyOf(comment);
  }

  /**
   * The {@code [Interface]} section.
   *
   * @param privateKey base64 private key, as {@code wg genkey} prints it; null: left out with a
   *     comment asking for it (the key is not known to whoever renders the file)
   * @param addresses inner addresses with prefix length, e.g. {@code 100.96.0.3/31}
   * @param listenPort UDP port to listen on; null: random
   * @param mtu tunnel MTU; null: wg-quick's automatic choice
   */
  public record Interface(
      String privateKey, List<String> addresses, Integer listenPort, Integer mtu) {
    public Interface {
      addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    @Override
    public String toString() {
      // Never print the private key.
      return "Interface[addresses=" + addresses + ", listenPort=" + listenPort + "]";
    }
  }

  /**
   * A {@code [Peer]} section.
   *
   * @param publicKey the peer's base64 public key
   * @param allowedIps what may come from and is routed to this peer
   * @param endpoint host:port; null: learned from the peer's first valid packet (the peer may sit
   *     behind NAT)
   * @param persistentKeepalive seconds; null or 0: off
   */
  public record Peer(
      String publicKey, List<String> allowedIps, String endpoint, Integer persistentKeepalive) {
    public Peer {
      Objects.requireNonNull(publicKey, "publicKey");
      allowedIps = allowedIps == null ? List.of() : List.copyOf(allowedIps);
    }
  }

  /** The file's text, lines ending in a newline. */
  public String render() {
    StringBuilder out = new StringBuilder();
    for (String line : comment) {
      out.append(line.isEmpty() ? "#" : "# " + line).append('\n');
    }
    if (!comment.isEmpty()) {
      out.append('\n');
    }
    out.append("[Interface]\n");
    if (iface.privateKey() != null) {
      out.append("PrivateKey = ").append(iface.privateKey()).append('\n');
    } else {
      out.append("# PrivateKey = <the private key of this end: not known to the operator>\n");
    }
    if (!iface.addresses().isEmpty()) {
      out.append("Address = ").append(String.join(", ", iface.addresses())).append('\n');
    }
    if (iface.listenPort() != null) {
      out.append("ListenPort = ").append(iface.listenPort()).append('\n');
    }
    if (iface.mtu() != null) {
      out.append("MTU = ").append(iface.mtu()).append('\n');
    }
    for (Peer peer : peers) {
      out.append("\n[Peer]\n");
      out.append("PublicKey = ").append(peer.publicKey()).append('\n');
      if (!peer.allowedIps().isEmpty()) {
        out.append("AllowedIPs = ").append(String.join(", ", peer.allowedIps())).append('\n');
      }
      if (peer.endpoint() != null && !peer.endpoint().isEmpty()) {
        out.append("Endpoint = ").append(peer.endpoint()).append('\n');
      }
      if (peer.persistentKeepalive() != null && peer.persistentKeepalive() > 0) {
        out.append("PersistentKeepalive = ").append(peer.persistentKeepalive()).append('\n');
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "WgQuickFile[" + iface + ", peers=" + peers.size() + "]";
  }
}
