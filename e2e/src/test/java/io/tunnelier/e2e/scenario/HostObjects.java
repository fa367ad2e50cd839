package io.tunnelier.e2e.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunnelier.agent.lab.Netns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The networking objects of one host, split into Tunnelier's and everything else, by the ownership
 * markers of docs/agent.md ("What the agent owns"), read independently of the agent's code: links
 * named {@code tnl*}; routes in tables 0x540000-0x55ffff (5505024-5636095) or through a {@code
 * tnl*} device; policy rules at priorities 10100-10199 or into one of those tables; permanent
 * neighbours and forwarding-database entries on {@code tnl*} links; the nftables tables {@code inet
 * tunnelier} and {@code inet tunnelier_cni} (the CNI plugin's holds). Each object is one normalised
 * line, so two snapshots compare as lists. Of the rest, only permanent neighbours are compared:
 * dynamic ones and the links' own multicast forwarding-database entries come and go without
 * anyone's doing.
 */
public record HostObjects(
    List<String> ourLinks,
    List<String> ourRoutes,
    List<String> ourRules,
    List<String> ourNeighbours,
    List<String> ourFdb,
    List<String> ourNftTables,
    List<String> otherLinks,
    List<String> otherRoutes,
    List<String> otherRules,
    List<String> otherNeighbours,
    List<String> otherNftTables) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TABLE_MIN = 0x540000;
  private static final long TABLE_MAX = 0x55ffff;

  static HostObjects of(Netns host) {
    return of(host::execOk);
  }

  /** Runs a command on the host and returns its standard output (failing when the command does). */
  @FunctionalInterface
  public interface Host {
    String run(String... command);
  }

  /** Reads any host: a lab namespace, or a kind node's container through {@code docker exec}. */
  public static HostObjects of(Host host) {
    List<String> ourLinks = new ArrayList<>();
    List<String> otherLinks = new ArrayList<>();
    for (JsonNode l : json(host, "ip", "-j", "link", "show")) {
      String name = l.path("ifname").asText();
      // Name, kind of link and MTU: what the agent could have changed on a foreign link.
      String line =
          name
              + " "
              + l.path("link_type").asText()
              + " mtu "
              + l.path("mtu").asText()
              + (l.has("master") ? " master " + l.path("master").asText() : "");
      (name.startsWith("tnl") ? ourLinks : otherLinks).add(line);
    }
    List<String> ourRoutes = new ArrayList<>();
    List<String> otherRoutes = new ArrayList<>();
    for (String family : List.of("-4", "-6")) {
      for (JsonNode r : json(host, "ip", family, "-j", "route", "show", "table", "all")) {
        boolean ours =
            ourTable(r.path("table").asText()) || r.path("dev").asText().startsWith("tnl");
        if (ours) {
          ourRoutes.add(family + " " + r);
        } else if (family.equals("-4")) {
          // IPv6 routes of the lab's own links come and go with address autoconfiguration; the
          // agent touches IPv4 only, so only IPv4 is compared.
          otherRoutes.add(family + " " + r);
        }
      }
    }
    List<String> ourRules = new ArrayList<>();
    List<String> otherRules = new ArrayList<>();
    for (String family : List.of("-4", "-6")) {
      for (JsonNode r : json(host, "ip", family, "-j", "rule", "show")) {
        int priority = r.path("priority").asInt();
        boolean ours =
            (priority >= 10100 && priority <= 10199) || ourTable(r.path("table").asText());
        (ours ? ourRules : otherRules).add(family + " " + r);
      }
    }
    List<String> ourNeighbours = new ArrayList<>();
    List<String> otherNeighbours = new ArrayList<>();
    for (JsonNode n : json(host, "ip", "-j", "neigh", "show", "nud", "permanent")) {
      (n.path("dev").asText().startsWith("tnl") ? ourNeighbours : otherNeighbours)
          .add(n.toString());
    }
    List<String> ourFdb = new ArrayList<>();
    for (JsonNode f : json(host, "bridge", "-j", "fdb", "show")) {
      if (f.path("ifname").asText().startsWith("tnl")) {
        ourFdb.add(f.toString());
      }
    }
    List<String> ourTables = new ArrayList<>();
    List<String> otherTables = new ArrayList<>();
    for (JsonNode item : json(host, "nft", "-j", "list", "tables").path("nftables")) {
      if (item.has("table")) {
        JsonNode t = item.path("table");
        String name = t.path("family").asText() + " " + t.path("name").asText();
        (name.equals("inet tunnelier") || name.equals("inet tunnelier_cni")
                ? ourTables
                : otherTables)
            .add(name);
      }
    }
    return new HostObjects(
        sorted(ourLinks),
        sorted(ourRoutes),
        sorted(ourRules),
        sorted(ourNeighbours),
        sorted(ourFdb),
        sorted(ourTables),
        sorted(otherLinks),
        sorted(otherRoutes),
        sorted(otherRules),
        sorted(otherNeighbours),
        sorted(otherTables));
  }

  public boolean noneOfOurs() {
    return ourLinks.isEmpty()
        && ourRoutes.isEmpty()
        && ourRules.isEmpty()
        && ourNeighbours.isEmpty()
        && ourFdb.isEmpty()
        && ourNftTables.isEmpty();
  }

  /** What is Tunnelier's on the host, one line per kind. */
  public String ours() {
    return "links "
        + ourLinks
        + "\n    routes "
        + ourRoutes.size()
        + " "
        + ourRoutes
        + "\n    rules "
        + ourRules
        + "\n    neighbours "
        + ourNeighbours
        + "\n    fdb "
        + ourFdb
        + "\n    nftables "
        + ourNftTables;
  }

  /** Everything that is not Tunnelier's: the rest of the host, which must stay as it was. */
  List<String> others() {
    List<String> all = new ArrayList<>();
    otherLinks.forEach(l -> all.add("link " + l));
    otherRoutes.forEach(r -> all.add("route " + r));
    otherRules.forEach(r -> all.add("rule " + r));
    otherNeighbours.forEach(n -> all.add("neigh " + n));
    otherNftTables.forEach(t -> all.add("nft table " + t));
    return all;
  }

  private static boolean ourTable(String table) {
    try {
      long t = Long.parseLong(table);
      return t >= TABLE_MIN && t <= TABLE_MAX;
    } catch (NumberFormatException e) {
      return false; // main, local, default
    }
  }

  private static JsonNode json(Host host, String... command) {
    String out = host.run(command).strip();
    try {
      return JSON.readTree(out.isEmpty() ? "[]" : out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse the output of " + List.of(command), e);
    }
  }

  private static List<String> sorted(List<String> list) {
    return list.stream().sorted().toList();
  }
}
