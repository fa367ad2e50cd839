package io.tunnelier.agent.kernel;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.net.IpFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@link IpRoute} through iproute2: {@code ip -j -batch -} to read, {@code ip -batch -} to change;
 * the VXLAN forwarding database with {@code bridge -j fdb show} and {@code bridge -batch -}.
 */
public final class IpRoute2 implements IpRoute {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final CommandRunner runner;
  private final String ip;
  private final String bridge;
  private final Path procSysNetIpv6;

  public IpRoute2(CommandRunner runner) {
    this(runner, "ip", "bridge");
  }

  public IpRoute2(CommandRunner runner, String ipBinary, String bridgeBinary) {
    this(runner, ipBinary, bridgeBinary, Path.of("/proc/sys/net/ipv6"));
  }

  /** {@code procSysNetIpv6}: absent when the kernel has no IPv6 (tests point it elsewhere). */
  IpRoute2(CommandRunner runner, String ipBinary, String bridgeBinary, Path procSysNetIpv6) {
    this.runner = runner;
    this.ip = ipBinary;
    this.bridge = bridgeBinary;
    this.procSysNetIpv6 = procSysNetIpv6;
  }

  /**
   * Three {@code ip} processes (plus {@code bridge} when a VXLAN device is ours): one batch for
   * what has no family (links, whose details {@code ip -d address show} prints beside their
   * addresses, and neighbours), one per family for routes and rules, which {@code ip} reads one
   * family at a time. Each process is a fork, an exec and a netlink dump of its own, and a pass may
   * read three times, so commands share processes.
   */
  @Override
  public KernelState read() throws IOException {
    List<JsonNode> linksAndNeighbours =
        batch(List.of(ip, "-d", "-j", "-batch", "-"), "address show", "neigh show nud permanent");
    Set<Link> links = new HashSet<>();
    for (JsonNode n : linksAndNeighbours.get(0)) {
      String name = n.path("ifname").asText();
      if (!Ownership.ownsLink(name)) {
        continue;
      }
      links.add(parseLink(n));
    }
    Set<String> ours = links.stream().map(Link::name).collect(Collectors.toSet());
    Set<Address> addresses = new HashSet<>();
    for (JsonNode n : linksAndNeighbours.get(0)) {
      String dev = n.path("ifname").asText();
      if (!ours.contains(dev)) {
        continue;
      }
      for (JsonNode a : n.path("addr_info")) {
        String family = a.path("family").asText();
        // IPv6 link-local addresses are the kernel's own, never ours to program or remove.
        if ("inet".equals(family)
            || "inet6".equals(family) && "global".equals(a.path("scope").asText())) {
          addresses.add(
              new Address(
                  dev,
                  Cidr.parseAddress(a.path("local").asText())
                      .withPrefix(a.path("prefixlen").asInt())));
        }
      }
    }
    Set<Route> routes = new HashSet<>();
    Set<Rule> rules = new HashSet<>();
    // Each family has its own routes and rules; a dual-stack tunnel has both.
    for (IpFamily family : IpFamily.values()) {
      if (family == IpFamily.IPV6 && !ipv6()) {
        continue; // booted with ipv6.disable=1: ip -6 fails, and there is nothing to read
      }
      String f = family == IpFamily.IPV4 ? "-4" : "-6";
      List<JsonNode> routesAndRules =
          batch(List.of(ip, "-j", f, "-batch", "-"), "route show table all", "rule show");
      for (JsonNode n : routesAndRules.get(0)) {
        long table = parseTable(n.path("table").asText("main"));
        if (Ownership.ownsTable(table)) {
          routes.add(parseRoute((int) table, n, family));
        }
      }
      for (JsonNode n : routesAndRules.get(1)) {
        Rule r = parseRule(n, family);
        if (r != null) {
          rules.add(r);
        }
      }
    }
    Set<Neighbor> neighbors = new HashSet<>();
    for (JsonNode n : linksAndNeighbours.get(1)) {
      String dev = n.path("dev").asText();
      if (ours.contains(dev) && n.hasNonNull("lladdr")) {
        neighbors.add(new Neighbor(dev, n.path("dst").asText(), n.path("lladdr").asText()));
      }
    }
    Set<FdbEntry> fdb = new HashSet<>();
    boolean vxlan = links.stream().anyMatch(l -> l.kind() == LinkKind.VXLAN);
    if (vxlan) {
      for (JsonNode n : run(bridge, "-j", "fdb", "show")) {
        FdbEntry e = parseFdb(n);
        if (e != null && ours.contains(e.dev())) {
          fdb.add(e);
        }
      }
    }
    return new KernelState(links, addresses, routes, rules, neighbors, fdb);
  }

  /** One entry of {@code bridge -j fdb show}, or null when it is not one the agent owns. */
  static FdbEntry parseFdb(JsonNode n) {
    String dev = n.path("ifname").asText(null);
    String mac = n.path("mac").asText(null);
    boolean permanent = "permanent".equals(n.path("state").asText());
    if (!n.hasNonNull("dst") || !Ownership.ownsFdb(dev, mac, permanent)) {
      return null;
    }
    return new FdbEntry(dev, mac, n.path("dst").asText());
  }

  static Link parseLink(JsonNode n) {
    String name = n.path("ifname").asText();
    boolean up = false;
    for (JsonNode f : n.path("flags")) {
      up |= "UP".equals(f.asText());
    }
    JsonNode info = n.path("linkinfo");
    if ("vxlan".equals(info.path("info_kind").asText())) {
      JsonNode d = info.path("info_data");
      Vxlan v =
          new Vxlan(
              d.path("id").asInt(),
              d.hasNonNull("local") ? d.path("local").asText() : null,
              d.hasNonNull("remote") ? d.path("remote").asText() : null,
              d.path("port").asInt());
      return new Link(
          name, LinkKind.VXLAN, n.path("mtu").asInt(), up, v, n.path("address").asText(null));
    }
    return new Link(name, LinkKind.TUNNEL, n.path("mtu").asInt(), up, null, null);
  }

  /** One rule of {@code ip -j rule show}, or null when it is not one the agent owns. */
  static Rule parseRule(JsonNode n, IpFamily family) {
    long table = parseTable(n.path("table").asText(""));
    int priority = n.path("priority").asInt(-1);
    if (!Ownership.ownsRule(priority, table)) {
      return null;
    }
    return new Rule(
        priority,
        selector(n.path("src").asText("all"), n.path("srclen"), family),
        selector(n.path("dst").asText("all"), n.path("dstlen"), family),
        (int) table,
        n.hasNonNull("iif") ? n.path("iif").asText() : null,
        family);
  }

  static Route parseRoute(int table, JsonNode n, IpFamily family) {
    RouteType type =
        switch (n.path("type").asText("unicast")) {
          case "throw" -> RouteType.THROW;
          case "blackhole" -> RouteType.BLACKHOLE;
          case "unreachable" -> RouteType.UNREACHABLE;
          default -> RouteType.UNICAST;
        };
    String dst = n.path("dst").asText();
    Cidr cidr =
        "default".equals(dst)
            ? Cidr.parse(family == IpFamily.IPV4 ? "0.0.0.0/0" : "::/0")
            : Cidr.parse(dst);
    boolean onlink = false;
    for (JsonNode f : n.path("flags")) {
      onlink |= "onlink".equals(f.asText());
    }
    return new Route(
        table,
        type,
        cidr,
        n.hasNonNull("gateway") ? n.path("gateway").asText() : null,
        n.hasNonNull("dev") ? n.path("dev").asText() : null,
        onlink);
  }

  private static Cidr selector(String addr, JsonNode len, IpFamily family) {
    if ("all".equals(addr)) {
      return null;
    }
    return Cidr.parseAddress(addr).withPrefix(len.isMissingNode() ? family.bits() : len.asInt());
  }

  private static long parseTable(String table) {
    try {
      return Long.parseLong(table);
    } catch (NumberFormatException e) {
      return -1; // named tables (main, local, default) are never ours
    }
  }

  /**
   * Consecutive commands of one tool go in one batch; KernelDiff puts the bridge ones last. A
   * refused command is an {@link IpCommandRefused} naming it, found from the tool's "Command failed
   * -:N" (N counts the batch's lines from 1).
   */
  @Override
  public void apply(List<IpCommand> commands) throws IOException {
    int first = 0;
    for (int i = 1; i <= commands.size(); i++) {
      if (i == commands.size() || !commands.get(i).tool().equals(commands.get(first).tool())) {
        runBatch(commands.subList(first, i), first);
        first = i;
      }
    }
  }

  private static final Pattern COMMAND_FAILED = Pattern.compile("(?m)^Command failed -:(\\d+)$");

  /** One {@code -batch -} of one tool; {@code offset}: the position of its first command. */
  private void runBatch(List<IpCommand> batch, int offset) throws IOException {
    List<String> tool =
        switch (batch.get(0).tool()) {
          case "bridge" -> List.of(bridge);
          case IpCommand.IP6 -> List.of(ip, "-6");
          default -> List.of(ip);
        };
    List<String> command = new ArrayList<>(tool);
    command.addAll(List.of("-batch", "-"));
    StringBuilder lines = new StringBuilder();
    batch.forEach(c -> lines.append(c.batchLine()).append('\n'));
    CommandRunner.Result r = runner.run(command, lines.toString());
    if (r.ok()) {
      return;
    }
    String stderr = r.stderr().strip();
    Matcher m = COMMAND_FAILED.matcher(stderr);
    if (m.find()) {
      int line = Integer.parseInt(m.group(1)); // from 1; the batch has no blank lines
      if (line >= 1 && line <= batch.size()) {
        String said = m.replaceAll("").strip();
        throw new IpCommandRefused(
            offset + line - 1,
            said + " (" + String.join(" ", tool) + " " + batch.get(line - 1).batchLine() + ")");
      }
    }
    throw new IOException(String.join(" ", command) + " exited " + r.exitCode() + ": " + stderr);
  }

  /** One {@code ip} process: the agent asks on every pass, also on those that skip the kernel. */
  @Override
  public Optional<Underlay> underlay() throws IOException {
    List<JsonNode> out =
        batch(List.of(ip, "-j", "-4", "-batch", "-"), "route show default", "address show");
    JsonNode routes = out.get(0);
    if (routes.isEmpty()) {
      return Optional.empty();
    }
    String dev = routes.get(0).path("dev").asText();
    String address = routes.get(0).path("prefsrc").asText(null);
    int mtu = 1500;
    for (JsonNode n : out.get(1)) {
      if (!dev.equals(n.path("ifname").asText())) {
        continue;
      }
      mtu = n.path("mtu").asInt(1500);
      for (JsonNode a : n.path("addr_info")) {
        if (address == null && "global".equals(a.path("scope").asText())) {
          address = a.path("local").asText();
        }
      }
    }
    return Optional.of(new Underlay(dev, mtu, address));
  }

  @Override
  public Optional<Integer> linkMtu(String name) throws IOException {
    CommandRunner.Result r = runner.run(List.of(ip, "-j", "link", "show", "dev", name), null);
    if (r.exitCode() != 0) {
      return Optional.empty();
    }
    JsonNode n = JSON.readTree(r.stdout());
    return n.isEmpty() ? Optional.empty() : Optional.of(n.get(0).path("mtu").asInt());
  }

  /** Whether this network namespace has IPv6 at all. */
  private boolean ipv6() {
    return Files.isDirectory(procSysNetIpv6);
  }

  /**
   * Runs {@code commands} as one {@code -batch -} of {@code argv} ({@code -j}: each prints one JSON
   * array, in order) and returns those arrays. Fewer than asked is an error, never an empty read:
   * an empty answer would make the diff re-add everything.
   */
  private List<JsonNode> batch(List<String> argv, String... commands) throws IOException {
    String out = runner.runOk(argv, String.join("\n", commands) + "\n");
    List<JsonNode> arrays = new ArrayList<>();
    // Root values one after another; readValues would unwrap a lone array into its elements.
    try (JsonParser parser = JSON.createParser(out)) {
      while (parser.nextToken() != null) {
        arrays.add(JSON.readTree(parser));
      }
    }
    if (arrays.size() != commands.length || !arrays.stream().allMatch(JsonNode::isArray)) {
      throw new IOException(
          String.join(" ", argv)
              + " printed "
              + arrays.size()
              + " JSON documents for "
              + commands.length
              + " commands ("
              + String.join("; ", commands)
              + ")");
    }
    return arrays;
  }

  private JsonNode run(String binary, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(binary);
    command.addAll(List.of(args));
    String out = runner.runOk(command, null);
    return out.isBlank() ? JSON.createArrayNode() : JSON.readTree(out);
  }
}
