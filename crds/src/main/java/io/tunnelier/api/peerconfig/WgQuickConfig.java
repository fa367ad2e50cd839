package io.tunnelier.api.peerconfig;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The wg-quick file ({@code wg0.conf}) for the far end of a WireGuard tunnel, as the operator puts
 * it into {@code <name>-peer-config} for a VPS running stock WireGuard. {@link #render()} is a pure
 * function of the fields; {@link #strip(String)} removes the wg-quick-only keys as {@code wg-quick
 * strip} does, leaving what {@code wg setconf} accepts.
 *
 * @param privateKey the far end's private key, base64 (never printed by {@link #toString()}); null
 *     when whoever renders the file does not know it (the user brought the far end's keypair): the
 *     line is left as a comment for the admin to fill in
 * @param addresses the far end's inner addresses with prefix, e.g. {@code 100.96.0.3/31}
 * @param listenPort UDP port to listen on, or null for a random one
 * @param mtu tunnel MTU, or null for wg-quick's automatic choice
 * @param peer the cluster side
 */
public record WgQuickConfig(
    String privateKey, List<String> addresses, Integer listenPort, Integer mtu, Peer peer) {

  /** wg-quick's own keys in [Interface]; {@code wg setconf} refuses them. */
  static final Set<String> WG_QUICK_ONLY =
      Set.of(
          "address", "dns", "mtu", "table", "preup", "postup", "predown", "postdown", "saveconfig");

  /**
   * @param publicKey the cluster side's public key, base64
   * @param presharedKey optional, base64 (never printed by {@link #toString()})
   * @param endpoint {@code host:port} or {@code [v6]:port}, or null when the peer connects to us
   * @param allowedIps inner addresses and CIDRs routed to the peer
   * @param persistentKeepalive seconds, or null/0 for off
   */
  public record Peer(
      String publicKey,
      String presharedKey,
      String endpoint,
      List<String> allowedIps,
      Integer persistentKeepalive) {
    public Peer {
      requireKey("peer.publicKey", publicKey);
      if (presharedKey != null) {
        requireKey("peer.presharedKey", presharedKey);
      }
      if (endpoint != null
          && !endpoint.matches("^(\\[[0-9a-fA-F:.]+\\]|[^:\\[\\]\\s]+):\\d{1,5}$")) {
        throw new IllegalArgumentException(
            "peer.endpoint: expected host:port or [v6]:port, got '" + endpoint + "'");
      }
      allowedIps = List.copyOf(allowedIps == null ? List.of() : allowedIps);
      allowedIps.forEach(cidr -> requireCidr("peer.allowedIps", cidr));
      if (persistentKeepalive != null && (persistentKeepalive < 0 || persistentKeepalive > 65535)) {
        throw new IllegalArgumentException("peer.persistentKeepalive: must be 0..65535");
      }
    }

    @Override
    public String toString() {
      return "Peer[publicKey="
          + publicKey
          + ", endpoint="
          + endpoint
          + ", allowedIps="
          + allowedIps
          + ", keepalive="
          + persistentKeepalive
          + "]";
    }
  }

  public WgQuickConfig {
    if (privateKey != null) {
      requireKey("privateKey", privateKey);
    }
    addresses = List.copyOf(addresses == null ? List.of() : addresses);
    addresses.forEach(cidr -> requireCidr("addresses", cidr));
    if (listenPort != null && (listenPort < 1 || listenPort > 65535)) {
      throw new IllegalArgumentException("listenPort: must be 1..65535, got " + listenPort);
    }
    if (mtu != null && (mtu < 576 || mtu > 9000)) {
      throw new IllegalArgumentException("mtu: must be 576..9000, got " + mtu);
    }
    if (peer == null) {
      throw new IllegalArgumentException("peer: required");
    }
  }

  /** The wg-quick file: [Interface] then [Peer], one key per line, LF line ends. */
  public String render() {
    return render(List.of());
  }

  /** The file with leading {@code #} comment lines (wg-quick and {@code wg setconf} skip them). */
  public String render(List<String> comment) {
    StringBuilder b = new StringBuilder();
    for (String line : comment) {
      b.append(line.isEmpty() ? "#" : "# " + line).append('\n');
    }
    if (!comment.isEmpty()) {
      b.append('\n');
    }
    b.append("[Interface]\n");
    if (privateKey != null) {
      b.append("PrivateKey = ").append(privateKey).append('\n');
    } else {
      b.append("# PrivateKey = <this end's private key: you brought the keypair>\n");
    }
    if (!addresses.isEmpty()) {
      b.append("Address = ").append(String.join(", ", addresses)).append('\n');
    }
    if (listenPort != null) {
      b.append("ListenPort = ").append(listenPort).append('\n');
    }
    if (mtu != null) {
      b.append("MTU = ").append(mtu).append('\n');
    }
    b.append("\n[Peer]\n");
    b.append("PublicKey = ").append(peer.publicKey()).append('\n');
    if (peer.presharedKey() != null) {
      b.append("PresharedKey = ").append(peer.presharedKey()).append('\n');
    }
    if (!peer.allowedIps().isEmpty()) {
      b.append("AllowedIPs = ").append(String.join(", ", peer.allowedIps())).append('\n');
    }
    if (peer.endpoint() != null) {
      b.append("Endpoint = ").append(peer.endpoint()).append('\n');
    }
    if (peer.persistentKeepalive() != null && peer.persistentKeepalive() > 0) {
      b.append("PersistentKeepalive = ").append(peer.persistentKeepalive()).append('\n');
    }
    return b.toString();
  }

  /**
   * What {@code wg-quick strip} prints for a wg-quick file: the same text without the wg-quick-only
   * keys of [Interface] (Address, DNS, MTU, Table, Pre/PostUp/Down, SaveConfig), for {@code wg
   * setconf}.
   */
  public static String strip(String wgQuickFile) {
    StringBuilder out = new StringBuilder();
    boolean inInterface = false;
    for (String raw : wgQuickFile.split("\n", -1)) {
      String line = raw.replaceFirst("#.*", "").strip();
      if (line.startsWith("[")) {
        inInterface = line.equalsIgnoreCase("[Interface]");
      }
      int eq = line.indexOf('=');
      String key = eq < 0 ? "" : line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      if (inInterface && WG_QUICK_ONLY.contains(key)) {
        continue;
      }
      out.append(line).append('\n');
    }
    return out.toString().replaceAll("\n+$", "\n");
  }

  @Override
  public String toString() {
    // Never the private key: this record may end up in logs and events.
    return "WgQuickConfig[addresses="
        + addresses
        + ", listenPort="
        + listenPort
        + ", mtu="
        + mtu
        + ", peer="
        + peer
        + "]";
  }

  private static void requireKey(String field, String base64) {
    boolean ok;
    try {
      ok = base64 != null && Base64.getDecoder().decode(base64).length == 32;
    } catch (IllegalArgumentException e) {
      ok = false;
    }
    if (!ok) {
      // The value is not echoed: it may be a secret.
      throw new IllegalArgumentException(field + ": must be 32 bytes of base64");
    }
  }

  private static void requireCidr(String field, String cidr) {
    if (cidr == null
        || !(cidr.matches("^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$")
            || cidr.matches("^[0-9a-fA-F:]+:[0-9a-fA-F:.]*/\\d{1,3}$"))) {
      throw new IllegalArgumentException(field + ": not a CIDR: '" + cidr + "'");
    }
  }
}
