package io.tunnelier.agent.plan;

import io.tunnelier.api.peerconfig.Ipv4Cidr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** CIDR list helpers. */
public final class Cidrs {
  private Cidrs() {}

  /**
   * Sorted, networks only, without those another one contains: what an nftables interval set
   * accepts (overlapping elements are an error there).
   */
  public static List<Ipv4Cidr> collapse(Collection<Ipv4Cidr> cidrs) {
    TreeSet<Ipv4Cidr> sorted = new TreeSet<>();
    cidrs.forEach(c -> sorted.add(c.network()));
    List<Ipv4Cidr> out = new ArrayList<>();
    for (Ipv4Cidr c : sorted) {
      if (out.stream().noneMatch(o -> o.contains(c))) {
        out.removeIf(c::contains);
        out.add(c);
      }
    }
    return out;
  }

  /** Parses what the API already validated; skips (never throws on) anything unparsable. */
  public static List<Ipv4Cidr> parseAll(Collection<String> texts) {
    List<Ipv4Cidr> out = new ArrayList<>();
    if (texts != null) {
      for (String t : texts) {
        try {
          out.add(Ipv4Cidr.parse(t));
        } catch (IllegalArgumentException ignored) {
          // the CRD's validation rejects these; an old object may still carry one
        }
      }
    }
    return out;
  }

  public static List<String> strings(Collection<Ipv4Cidr> cidrs) {
    return cidrs.stream().map(c -> c.prefix() == 32 ? c.ip() : c.toString()).toList();
  }
}
