package io.tunnelier.agent.kernel;

/**
 * What the agent owns on a node, and so may change or delete: links whose name starts with {@link
 * #LINK_PREFIX}, routes in tables {@link #TABLE_MIN}..{@link #TABLE_MAX}, policy rules at
 * priorities {@link #RULE_PRIORITY_MIN}..{@link #RULE_PRIORITY_MAX} that look up one of those
 * tables, neighbours and permanent forwarding-database entries on our links, and the nftables table
 * {@code inet tunnelier}. Everything else on the node is read at most, never changed.
 */
public final class Ownership {
  /** Every link the agent (or a datapath it opened) creates starts with this. */
  public static final String LINK_PREFIX = "tnl";

  /** Routing tables of tunnels: 0x540000 + a 16-bit slot. Far from the small ids CNIs use. */
  public static final int TABLE_MIN = 0x540000;

  /** How many tunnel table slots there are (16 bits). */
  public static final int TABLE_SLOTS = 0x10000;

  /** A tunnel's reply table (egress gateway: replies to members' pods) is its table + this. */
  public static final int REPLY_TABLE_OFFSET = TABLE_SLOTS;

  public static final int TABLE_MAX = TABLE_MIN + REPLY_TABLE_OFFSET + TABLE_SLOTS - 1;

  /** Policy rules of tunnels: before main (32766), after the small priorities CNIs use. */
  public static final int RULE_PRIORITY_MIN = 10100;

  public static final int RULE_PRIORITY_MAX = 10199;

  /** {@code from <pod IP> lookup <tunnel table>}: egress. */
  public static final int PRIORITY_FROM_POD = 10100;

  /** {@code iif <tunnel device> lookup <reply table>}: egress replies to members' pods. */
  public static final int PRIORITY_TUNNEL_REPLIES = 10105;

  /** {@code to <CIDR> lookup <tunnel table>}: site-to-site and standalone routes. */
  public static final int PRIORITY_TO_CIDR = 10110;

  private static final String ALL_ZEROS_MAC = "00:00:00:00:00:00";

  public static final String NFT_FAMILY = "inet";
  public static final String NFT_TABLE = "tunnelier";

  /** The CNI plugin's hold sets (cni-plugin/); its structure is the agent's, its holds shared. */
  public static final String NFT_HOLD_TABLE = "tunnelier_cni";

  private Ownership() {}

  public static boolean ownsLink(String name) {
    return name != null && name.startsWith(LINK_PREFIX);
  }

  public static boolean ownsTable(long table) {
    return table >= TABLE_MIN && table <= TABLE_MAX;
  }

  public static boolean ownsRule(int priority, long table) {
    return priority >= RULE_PRIORITY_MIN && priority <= RULE_PRIORITY_MAX && ownsTable(table);
  }

  /**
   * Permanent entries with a destination on our links, except the one the kernel keeps for a VXLAN
   * link's own {@code remote} (MAC all zeros): that one belongs to the link.
   */
  public static boolean ownsFdb(String dev, String mac, boolean permanent) {
    return ownsLink(dev) && permanent && mac != null && !ALL_ZEROS_MAC.equals(mac);
  }
}
