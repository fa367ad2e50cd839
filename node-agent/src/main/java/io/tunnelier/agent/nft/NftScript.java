package io.tunnelier.agent.nft;

import io.tunnelier.agent.kernel.Ownership;
import java.util.List;

/**
 * Renders the one transaction that makes our table exactly {@code desired} (the knftables pattern):
 * {@code add table} (so the delete cannot fail), {@code delete table}, then the new table with
 * every set, element, chain and rule. {@code nft -f -} applies it atomically: packets see the old
 * table or the new one, never a mix, and on any error nothing changes. Conntrack entries (and so
 * established NAT mappings) live outside the table and survive the swap.
 */
public final class NftScript {
  static final String T = Ownership.NFT_FAMILY + " " + Ownership.NFT_TABLE;

  /**
   * The set whose comment carries {@link NftTable#fingerprint()} (nft's JSON omits table comments).
   */
  public static final String FINGERPRINT_SET = "fingerprint";

  private NftScript() {}

  /** The transaction; for an empty desired table it removes the table. */
  public static String replace(NftTable desired) {
    StringBuilder b = new StringBuilder();
    b.append("add table ").append(T).append('\n');
    b.append("delete table ").append(T).append('\n');
    if (!desired.isEmpty()) {
      b.append("add table ")
          .append(T)
          .append(" { comment \"managed by tunnelier-agent: do not edit\"; }\n");
      b.append("add set ")
          .append(T)
          .append(' ')
          .append(FINGERPRINT_SET)
          .append(" { type ipv4_addr; comment \"")
          .append(desired.fingerprint())
          .append("\"; }\n");
      b.append(body(desired));
    }
    return b.toString();
  }

  /**
   * The transaction for an element-only change: deletes and adds the elements of {@code delta},
   * nothing else (the fingerprint does not cover plain sets' elements). Atomic like {@link
   * #replace}; it fails as a whole when the table is not what the agent believes (a set or an
   * element to delete is missing), and the caller then reads the table and starts over.
   */
  public static String update(NftDelta delta) {
    StringBuilder b = new StringBuilder();
    delta.removed().forEach((set, elements) -> elements(b, "delete", set, elements));
    delta.added().forEach((set, elements) -> elements(b, "add", set, elements));
    return b.toString();
  }

  private static void elements(StringBuilder b, String verb, String set, List<String> elements) {
    b.append(verb)
        .append(" element ")
        .append(T)
        .append(' ')
        .append(set)
        .append(" { ")
        .append(String.join(", ", elements))
        .append(" }\n");
  }

  /** The transaction that removes our table (if any): cleanup. */
  public static String delete() {
    return replace(NftTable.NONE);
  }

  /** Sets, elements, chains and rules, without the table line. */
  static String body(NftTable table) {
    StringBuilder b = new StringBuilder();
    for (NftSet s : table.sets()) {
      b.append("add set ")
          .append(T)
          .append(' ')
          .append(s.name())
          .append(" { type ")
          .append(s.type())
          .append(';');
      if (s.interval()) {
        b.append(" flags interval;");
      }
      if (s.comment() != null) {
        b.append(" comment \"").append(s.comment()).append("\";");
      }
      b.append(" }\n");
      if (!s.elements().isEmpty()) {
        b.append("add element ")
            .append(T)
            .append(' ')
            .append(s.name())
            .append(" { ")
            .append(String.join(", ", s.elements()))
            .append(" }\n");
      }
    }
    for (NftChain c : table.chains()) {
      b.append("add chain ")
          .append(T)
          .append(' ')
          .append(c.name())
          .append(" { type ")
          .append(c.type())
          .append(" hook ")
          .append(c.hook())
          .append(" priority ")
          .append(c.priority())
          .append("; policy accept; }\n");
      for (String rule : c.rules()) {
        b.append("add rule ")
            .append(T)
            .append(' ')
            .append(c.name())
            .append(' ')
            .append(rule)
            .append('\n');
      }
    }
    return b.toString();
  }

  /** The table as {@code nft list table} would show it, for docs and logs. */
  public static String pretty(NftTable table) {
    StringBuilder b = new StringBuilder("table ").append(T).append(" {\n");
    b.append("\tcomment \"managed by tunnelier-agent: do not edit\"\n");
    b.append("\tset ")
        .append(FINGERPRINT_SET)
        .append(" {\n\t\ttype ipv4_addr\n\t\tcomment \"")
        .append(table.fingerprint())
        .append("\"\n\t}\n");
    for (NftSet s : table.sets()) {
      b.append("\n\tset ").append(s.name()).append(" {\n\t\ttype ").append(s.type()).append('\n');
      if (s.interval()) {
        b.append("\t\tflags interval\n");
      }
      if (!s.elements().isEmpty()) {
        b.append("\t\telements = { ").append(String.join(", ", s.elements())).append(" }\n");
      }
      if (s.comment() != null) {
        b.append("\t\tcomment \"").append(s.comment()).append("\"\n");
      }
      b.append("\t}\n");
    }
    for (NftChain c : table.chains()) {
      b.append("\n\tchain ")
          .append(c.name())
          .append(" {\n\t\ttype ")
          .append(c.type())
          .append(" hook ")
          .append(c.hook())
          .append(" priority ")
          .append(c.priority())
          .append("; policy accept;\n");
      for (String rule : c.rules()) {
        b.append("\t\t").append(rule).append('\n');
      }
      b.append("\t}\n");
    }
    return b.append("}\n").toString();
  }
}
