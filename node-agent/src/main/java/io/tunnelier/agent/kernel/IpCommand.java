package io.tunnelier.agent.kernel;

import io.tunnelier.api.net.IpFamily;

/**
 * One change to links, addresses, routes, rules, neighbours or VXLAN forwarding-database entries.
 * {@link #batchLine()} is the batch syntax of the iproute2 {@link #tool()} that makes it: {@code ip
 * -batch -}, or {@code bridge -batch -} for the forwarding database, which {@code ip} cannot
 * change. The in-memory fake interprets the records.
 */
public sealed interface IpCommand {
  /**
   * {@code ip -6 -batch -}: IPv6 rules need the family on the command line, as {@code ip rule}
   * takes IPv4 unless told otherwise (routes and neighbours take it from their addresses).
   */
  String IP6 = "ip -6";

  String batchLine();

  /** The iproute2 program whose batch takes {@link #batchLine()}. */
  default String tool() {
    return "ip";
  }

  record AddLink(Link link) implements IpCommand {
    @Override
    public String batchLine() {
      if (link.kind() != LinkKind.VXLAN) {
        throw new IllegalStateException("only VXLAN links are created with ip: " + link.name());
      }
      Vxlan v = link.vxlan();
      StringBuilder b = new StringBuilder("link add ").append(link.name());
      if (link.mac() != null) {
        b.append(" address ").append(link.mac());
      }
      if (link.mtu() > 0) {
        b.append(" mtu ").append(link.mtu());
      }
      b.append(" type vxlan id ").append(v.vni());
      if (v.local() != null) {
        b.append(" local ").append(v.local());
      }
      if (v.remote() != null) {
        b.append(" remote ").append(v.remote());
      }
      return b.append(" dstport ").append(v.port()).toString();
    }
  }

  record DeleteLink(String name) implements IpCommand {
    @Override
    public String batchLine() {
      return "link del " + name;
    }
  }

  /** Sets the MTU (when > 0) and brings the link up. */
  record SetLink(String name, int mtu) implements IpCommand {
    @Override
    public String batchLine() {
      return "link set dev " + name + (mtu > 0 ? " mtu " + mtu : "") + " up";
    }
  }

  record AddAddress(Address address) implements IpCommand {
    @Override
    public String batchLine() {
      return "address add " + address.cidr() + " dev " + address.dev();
    }
  }

  record DeleteAddress(Address address) implements IpCommand {
    @Override
    public String batchLine() {
      return "address del " + address.cidr() + " dev " + address.dev();
    }
  }

  record ReplaceRoute(Route route) implements IpCommand {
    @Override
    public String batchLine() {
      StringBuilder b = new StringBuilder("route replace ");
      b.append(route.type().ipName()).append(' ').append(route.dst());
      if (route.via() != null) {
        b.append(" via ").append(route.via());
      }
      if (route.dev() != null) {
        b.append(" dev ").append(route.dev());
      }
      if (route.onlink()) {
        b.append(" onlink");
      }
      return b.append(" table ").append(route.table()).toString();
    }
  }

  record DeleteRoute(Route route) implements IpCommand {
    @Override
    public String batchLine() {
      return "route del " + route.type().ipName() + " " + route.dst() + " table " + route.table();
    }
  }

  record AddRule(Rule rule) implements IpCommand {
    @Override
    public String batchLine() {
      return "rule add" + selector(rule);
    }

    @Override
    public String tool() {
      return ruleTool(rule);
    }
  }

  record DeleteRule(Rule rule) implements IpCommand {
    @Override
    public String batchLine() {
      return "rule del" + selector(rule);
    }

    @Override
    public String tool() {
      return ruleTool(rule);
    }
  }

  record ReplaceNeighbor(Neighbor neighbor) implements IpCommand {
    @Override
    public String batchLine() {
      return "neigh replace "
          + neighbor.ip()
          + " lladdr "
          + neighbor.mac()
          + " dev "
          + neighbor.dev()
          + " nud permanent";
    }
  }

  record DeleteNeighbor(Neighbor neighbor) implements IpCommand {
    @Override
    public String batchLine() {
      return "neigh del " + neighbor.ip() + " dev " + neighbor.dev();
    }
  }

  /** Frames to {@code entry.mac()} go to the VXLAN end point {@code entry.dst()}. */
  record ReplaceFdbEntry(FdbEntry entry) implements IpCommand {
    @Override
    public String batchLine() {
      return "fdb replace "
          + entry.mac()
          + " dev "
          + entry.dev()
          + " dst "
          + entry.dst()
          + " self permanent";
    }

    @Override
    public String tool() {
      return "bridge";
    }
  }

  record DeleteFdbEntry(FdbEntry entry) implements IpCommand {
    @Override
    public String batchLine() {
      return "fdb del " + entry.mac() + " dev " + entry.dev() + " self";
    }

    @Override
    public String tool() {
      return "bridge";
    }
  }

  private static String ruleTool(Rule rule) {
    return rule.family() == IpFamily.IPV6 ? IP6 : "ip";
  }

  private static String selector(Rule rule) {
    return (rule.from() == null ? "" : " from " + rule.from())
        + (rule.to() == null ? "" : " to " + rule.to())
        + (rule.iif() == null ? "" : " iif " + rule.iif())
        + " lookup "
        + rule.table()
        + " priority "
        + rule.priority();
  }
}
