package io.tunnelier.agent.nft;

import io.tunnelier.agent.kernel.Ownership;
import io.tunnelier.agent.plan.DropRules;
import io.tunnelier.agent.plan.HeldPod;
import io.tunnelier.api.net.Cidr;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The transactions on the CNI plugin's hold table. {@link #ensure} writes its structure without
 * touching the holds ({@code add set} keeps an existing set's elements), so the agent can rewrite
 * it while the plugin adds holds; the plugin writes only elements of {@code held4}/{@code held6}
 * with the pod's UID as comment (cni-plugin/plugin.go).
 */
public final class HoldScript {
  static final String TABLE = Ownership.NFT_FAMILY + " " + Ownership.NFT_HOLD_TABLE;
  public static final String HELD4 = "held4";
  public static final String HELD6 = "held6";
  public static final String OPEN4 = "open4";
  public static final String RULE_IPV4 = DropRules.HELD_IPV4_COMMENT;
  public static final String RULE_IPV6 = DropRules.HELD_IPV6_COMMENT;

  private HoldScript() {}

  /**
   * The table, its sets (the holds kept), and the forward chain's two rules: a held pod may reach
   * the cluster's own ranges ({@code open}), and link-local IPv6; everything else from it is
   * counted and dropped. The chain sits before the main table's (priority filter - 5), though a
   * drop in either is final.
   */
  public static String ensure(List<Cidr> open) {
    StringBuilder b = new StringBuilder();
    b.append("add table ").append(TABLE).append('\n');
    b.append("add set ").append(TABLE).append(' ').append(HELD4).append(" { type ipv4_addr; }\n");
    b.append("add set ").append(TABLE).append(' ').append(HELD6).append(" { type ipv6_addr; }\n");
    b.append("add set ")
        .append(TABLE)
        .append(" " + OPEN4 + " { type ipv4_addr; flags interval; }\n");
    b.append("flush set ").append(TABLE).append(" open4\n");
    List<Cidr> v4 = open.stream().filter(Cidr::isIpv4).toList();
    if (!v4.isEmpty()) {
      b.append("add element ")
          .append(TABLE)
          .append(" open4 { ")
          .append(v4.stream().map(Cidr::hostOrCidr).collect(Collectors.joining(", ")))
          .append(" }\n");
    }
    b.append("add chain ")
        .append(TABLE)
        .append(" forward { type filter hook forward priority filter - 5; policy accept; }\n");
    b.append("flush chain ").append(TABLE).append(" forward\n");
    b.append("add rule ")
        .append(TABLE)
        .append(" forward ip saddr @")
        .append(HELD4)
        .append(" ip daddr != @open4 counter drop comment \"")
        .append(RULE_IPV4)
        .append("\"\n");
    b.append("add rule ")
        .append(TABLE)
        .append(" forward ip6 saddr @")
        .append(HELD6)
        .append(" ip6 daddr != fe80::/10 counter drop comment \"")
        .append(RULE_IPV6)
        .append("\"\n");
    return b.toString();
  }

  /** Takes these holds out. */
  public static String release(List<HeldPod> holds) {
    StringBuilder b = new StringBuilder();
    for (HeldPod h : holds) {
      boolean v6 = h.address().contains(":");
      b.append("delete element ")
          .append(TABLE)
          .append(' ')
          .append(v6 ? HELD6 : HELD4)
          .append(" { ")
          .append(h.address())
          .append(" }\n");
    }
    return b.toString();
  }

  /** Removes the table, holds and all. */
  public static String delete() {
    return "delete table " + TABLE + "\n";
  }
}
