package io.tunnelier.agent.plan;

import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.net.IpFamily;
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
  public static List<Cidr> collapse(Collection<Cidr> cidrs) {
    TreeSet<Cidr> sorted = new TreeSet<>();
    cidrs.forEach(c -> sorted.add(c.network()));
    List<Cidr> out = new ArrayList<>();
    for (Cidr c : sorted) {
      if (out.stream().noneMatch(o -> o.contains(c))) {
        out.removeIf(c::contains);
        out.add(c);
      }
    }
    return out;
  }

  /** Parses what the API already validated; skips (never throws on) anything unparsable. */
  public static List<Cidr> parseAll(Collection<String> texts) {
    List<Cidr> out = new ArrayList<>();
    if (texts != null) {
      for (String t : texts) {
        try {
          out.add(Cidr.parse(t));
        } catch (IllegalArgumentException ignored) {
          // the CRD's validation rejects these; an old object may still carry one
        }
      }
    }
    return out;
  }

  /** Those of {@code family}, in order: for the parts that carry one family only. */
  public static List<Cidr> of(IpFamily family, Collection<Cidr> cidrs) {
    return cidrs.stream().filter(c -> c.family() == family).toList();
  }

  public static List<String> strings(Collection<Cidr> cidrs) {
    return cidrs.stream().map(Cidr::hostOrCidr).toList();
  }
}
