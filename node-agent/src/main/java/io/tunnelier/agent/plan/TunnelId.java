package io.tunnelier.agent.plan;

import io.tunnelier.agent.kernel.Ownership;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Everything on a node that is named after one tunnel, derived from its {@code namespace/name} so
 * that every node and every restart arrives at the same names: SHA-256 of the key gives the 8-hex
 * suffix of the device names (Linux allows 15 characters), the routing table slot, the VXLAN
 * network identifier and the gateway's VXLAN MAC address.
 *
 * @param key {@code namespace/name}
 * @param table routing table in {@link Ownership#TABLE_MIN}..{@link Ownership#TABLE_MAX}
 */
public record TunnelId(String key, String hash, int table, int vni, String gatewayMac) {
  public static TunnelId of(String key) {
    byte[] d = sha256(key);
    String hex = HexFormat.of().formatHex(d);
    int slot = ((d[4] & 0xFF) << 8) | (d[5] & 0xFF);
    int vni = ((d[6] & 0xFF) << 16) | ((d[7] & 0xFF) << 8) | (d[8] & 0xFF);
    String mac =
        "02:"
            + hex.substring(18, 20)
            + ":"
            + hex.substring(20, 22)
            + ":"
            + hex.substring(22, 24)
            + ":"
            + hex.substring(24, 26)
            + ":"
            + hex.substring(26, 28);
    return new TunnelId(
        key, hex.substring(0, 8), Ownership.TABLE_MIN + slot, vni == 0 ? 1 : vni, mac);
  }

  /** The same identity in another table slot (the rare collision of two tunnels' slots). */
  TunnelId withTable(int table) {
    return new TunnelId(key, hash, table, vni, gatewayMac);
  }

  /** The tunnel device: {@code tnl-1a2b3c4d}. */
  public String deviceName() {
    return Ownership.LINK_PREFIX + "-" + hash;
  }

  /** The intra-cluster VXLAN hop: {@code tnlv-1a2b3c4d}. */
  public String vxlanName() {
    return Ownership.LINK_PREFIX + "v-" + hash;
  }

  /** Suffix of this tunnel's nftables set names. */
  public String nftSuffix() {
    return hash;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
