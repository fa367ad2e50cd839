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
 * network identifier and the VXLAN MAC addresses of the gateway and of each member.
 *
 * @param key {@code namespace/name}
 * @param table routing table: {@link Ownership#TABLE_MIN} + a slot
 */
public record TunnelId(String key, String hash, int table, int vni, String gatewayMac) {
  public static TunnelId of(String key) {
    byte[] d = sha256(key);
    String hex = HexFormat.of().formatHex(d);
    int slot = ((d[4] & 0xFF) << 8) | (d[5] & 0xFF);
    int vni = ((d[6] & 0xFF) << 16) | ((d[7] & 0xFF) << 8) | (d[8] & 0xFF);
    return new TunnelId(
        key, hex.substring(0, 8), Ownership.TABLE_MIN + slot, vni == 0 ? 1 : vni, mac(hex, 18));
  }

  /** A locally administered unicast MAC (02:…) from five bytes of {@code hex} at {@code from}. */
  private static String mac(String hex, int from) {
    StringBuilder b = new StringBuilder("02");
    for (int i = from; i < from + 10; i += 2) {
      b.append(':').append(hex, i, i + 2);
    }
    return b.toString();
  }

  /**
   * The MAC of a member's (or standby's) hop device: the gateway addresses its replies to that
   * member's pods to it, so it is fixed per tunnel and node and differs from {@link #gatewayMac}.
   */
  public String memberMac(String node) {
    return mac(HexFormat.of().formatHex(sha256("member\n" + key + "\n" + node)), 0);
  }

  /** Egress gateway: replies from the tunnel to members' pods, routed back over the hop. */
  public int replyTable() {
    return table + Ownership.REPLY_TABLE_OFFSET;
  }

  /** The same identity in another table slot (the rare collision of two tunnels' slots). */
  TunnelId withTable(int table) {
    return table == this.table ? this : new TunnelId(key, hash, table, vni, gatewayMac);
  }

  /** The same identity with another name suffix (two tunnels' suffixes collided). */
  TunnelId withHash(String hash) {
    return hash.equals(this.hash) ? this : new TunnelId(key, hash, table, vni, gatewayMac);
  }

  /** The same identity on another VXLAN network identifier (two tunnels' VNIs collided). */
  TunnelId withVni(int vni) {
    return vni == this.vni ? this : new TunnelId(key, hash, table, vni, gatewayMac);
  }

  /** The {@code attempt}-th alternative name suffix of {@code key}, for {@link TunnelIds}. */
  static String alternateHash(String key, int attempt) {
    return HexFormat.of().formatHex(sha256(key + "\n" + attempt)).substring(0, 8);
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
