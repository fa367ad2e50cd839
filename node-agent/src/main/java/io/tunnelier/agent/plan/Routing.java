package io.tunnelier.agent.plan;

import io.tunnelier.api.net.Cidr;
import java.util.List;

/**
 * The tunnel table and the rules into it. Destinations go {@code via} the next hop on {@code dev};
 * excluded destinations are {@code throw} routes, so lookup falls through to the main table.
 *
 * @param sources egress: {@code from <pod IP> lookup <table>} for each; empty for site-to-site
 * @param toDestinations site-to-site and standalone: {@code to <destination> lookup <table>}
 */
public record Routing(
    String dev,
    String via,
    List<Cidr> destinations,
    List<Cidr> excluded,
    List<Cidr> sources,
    boolean toDestinations) {
  public Routing {
    destinations = List.copyOf(destinations);
    excluded = List.copyOf(excluded);
    sources = List.copyOf(sources);
  }
}
