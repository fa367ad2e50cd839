package io.tunnelier.agent.plan;

import io.tunnelier.api.net.Cidr;
import java.util.List;

/**
 * The tunnel table and the rules into it. Destinations go {@code via} the next hop on {@code dev};
 * excluded destinations are {@code throw} routes, so lookup falls through to the main table.
 *
 * @param sources egress: {@code from <pod IP> lookup <table>} for each; empty for site-to-site
 * @param toDestinations site-to-site and standalone: {@code to <destination> lookup <table>}
 * @param notCarried destinations of the spec this tunnel does not route (egress: the IPv6 ones,
 *     while egress carries IPv4 only), for status
 */
public record Routing(
    String dev,
    String via,
    List<Cidr> destinations,
    List<Cidr> excluded,
    List<Cidr> sources,
    boolean toDestinations,
    List<Cidr> notCarried) {
  public Routing {
    destinations = List.copyOf(destinations);
    excluded = List.copyOf(excluded);
    sources = List.copyOf(sources);
    notCarried = notCarried == null ? List.of() : List.copyOf(notCarried);
  }

  /** Routing that carries every destination it was given. */
  public Routing(
      String dev,
      String via,
      List<Cidr> destinations,
      List<Cidr> excluded,
      List<Cidr> sources,
      boolean toDestinations) {
    this(dev, via, destinations, excluded, sources, toDestinations, List.of());
  }
}
