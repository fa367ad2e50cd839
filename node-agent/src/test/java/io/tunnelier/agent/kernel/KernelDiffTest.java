package io.tunnelier.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.net.IpFamily;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven: desired and live state in, the exact ip (and bridge) batch out. */
class KernelDiffTest {
  static final Vxlan TO_A = new Vxlan(7, "192.0.2.12", "192.0.2.11", 4789);
  static final Vxlan TO_C = new Vxlan(7, "192.0.2.12", "192.0.2.13", 4789);
  static final Link VX_A = new Link("tnlv-1", LinkKind.VXLAN, 1450, true, TO_A, null);
  static final Link VX_C = new Link("tnlv-1", LinkKind.VXLAN, 1450, true, TO_C, null);
  static final Route DEFAULT_VX =
      Route.viaOnlink(0x540001, Cidr.parseIpv4("0.0.0.0/0"), "100.96.0.2", "tnlv-1");
  static final Route THROW = Route.of(0x540001, RouteType.THROW, Cidr.parseIpv4("100.64.0.0/16"));
  static final Rule POD = Rule.fromSource(10100, Cidr.parseIpv4("100.64.2.7/32"), 0x540001);
  static final Neighbor GW = new Neighbor("tnlv-1", "100.96.0.2", "02:aa:bb:cc:dd:ee");
  // The gateway's side: replies to a member's pod go back over the hop.
  static final Link VX_GW =
      new Link("tnlv-1", LinkKind.VXLAN, 1450, true, new Vxlan(7, "192.0.2.11", null, 4789), null);
  static final Neighbor MEMBER_B = new Neighbor("tnlv-1", "192.0.2.12", "02:00:00:00:00:0b");
  static final FdbEntry FDB_B = new FdbEntry("tnlv-1", "02:00:00:00:00:0b", "192.0.2.12");
  static final FdbEntry FDB_C = new FdbEntry("tnlv-1", "02:00:00:00:00:0c", "192.0.2.13");
  static final Route REPLY_B =
      Route.viaOnlink(0x550001, Cidr.parseIpv4("100.64.2.7/32"), "192.0.2.12", "tnlv-1");
  static final Rule REPLIES = Rule.fromInterface(10105, "tnl-1", 0x550001, IpFamily.IPV4);

  record Case(String name, KernelState desired, KernelState live, List<String> batch) {
    @Override
    public String toString() {
      return name;
    }
  }

  static KernelState state(
      Set<Link> l, Set<Address> a, Set<Route> r, Set<Rule> ru, Set<Neighbor> n) {
    return new KernelState(l, a, r, ru, n);
  }

  static KernelState gateway(Link hop, Set<FdbEntry> fdb) {
    return new KernelState(
        Set.of(hop), Set.of(), Set.of(REPLY_B), Set.of(REPLIES), Set.of(MEMBER_B), fdb);
  }

  static Stream<Case> cases() {
    KernelState member =
        state(Set.of(VX_A), Set.of(), Set.of(DEFAULT_VX, THROW), Set.of(POD), Set.of(GW));
    return Stream.of(
        new Case("nothing to do", member, member, List.of()),
        new Case(
            "from scratch: link, up, neighbour, routes, rule",
            member,
            KernelState.EMPTY,
            List.of(
                "link add tnlv-1 mtu 1450 type vxlan id 7 local 192.0.2.12 remote 192.0.2.11 dstport 4789",
                "link set dev tnlv-1 up",
                "neigh replace 100.96.0.2 lladdr 02:aa:bb:cc:dd:ee dev tnlv-1 nud permanent",
                "route replace throw 100.64.0.0/16 table 5505025",
                "route replace unicast 0.0.0.0/0 via 100.96.0.2 dev tnlv-1 onlink table 5505025",
                "rule add from 100.64.2.7/32 lookup 5505025 priority 10100")),
        new Case(
            "gateway failover: the hop is re-created and what it carried re-added",
            state(Set.of(VX_C), Set.of(), Set.of(DEFAULT_VX, THROW), Set.of(POD), Set.of(GW)),
            member,
            List.of(
                "link del tnlv-1",
                "link add tnlv-1 mtu 1450 type vxlan id 7 local 192.0.2.12 remote 192.0.2.13 dstport 4789",
                "link set dev tnlv-1 up",
                "neigh replace 100.96.0.2 lladdr 02:aa:bb:cc:dd:ee dev tnlv-1 nud permanent",
                "route replace unicast 0.0.0.0/0 via 100.96.0.2 dev tnlv-1 onlink table 5505025")),
        new Case(
            "everything removed: rules first, no deletes for what the link takes with it",
            KernelState.EMPTY,
            member,
            List.of(
                "rule del from 100.64.2.7/32 lookup 5505025 priority 10100",
                "route del throw 100.64.0.0/16 table 5505025",
                "link del tnlv-1")),
        new Case(
            "a link set down behind our back is brought up, its MTU fixed",
            member,
            state(
                Set.of(new Link("tnlv-1", LinkKind.VXLAN, 1500, false, TO_A, "0a:00:00:00:00:01")),
                Set.of(),
                Set.of(THROW),
                Set.of(POD),
                Set.of(GW)),
            List.of(
                "link set dev tnlv-1 mtu 1450 up",
                "route replace unicast 0.0.0.0/0 via 100.96.0.2 dev tnlv-1 onlink table 5505025")),
        new Case(
            "a missing tunnel device: nothing that needs it is attempted",
            state(
                Set.of(Link.tunnel("tnl-1")),
                Set.of(new Address("tnl-1", Cidr.parseIpv4("100.96.0.2/31"))),
                Set.of(
                    Route.viaOnlink(0x540001, Cidr.parseIpv4("0.0.0.0/0"), "100.96.0.3", "tnl-1"),
                    THROW),
                Set.of(POD),
                Set.of()),
            KernelState.EMPTY,
            List.of(
                "route replace throw 100.64.0.0/16 table 5505025",
                "rule add from 100.64.2.7/32 lookup 5505025 priority 10100")),
        new Case(
            "gateway from scratch: replies over the hop, the forwarding database last (bridge)",
            gateway(VX_GW, Set.of(FDB_B)),
            KernelState.EMPTY,
            List.of(
                "link add tnlv-1 mtu 1450 type vxlan id 7 local 192.0.2.11 dstport 4789",
                "link set dev tnlv-1 up",
                "neigh replace 192.0.2.12 lladdr 02:00:00:00:00:0b dev tnlv-1 nud permanent",
                "route replace unicast 100.64.2.7/32 via 192.0.2.12 dev tnlv-1 onlink table 5570561",
                "rule add iif tnl-1 lookup 5570561 priority 10105",
                "fdb replace 02:00:00:00:00:0b dev tnlv-1 dst 192.0.2.12 self permanent")),
        new Case(
            "an entry deleted behind our back comes back, a stale one goes",
            gateway(VX_GW, Set.of(FDB_B)),
            gateway(VX_GW, Set.of(FDB_C)),
            List.of(
                "fdb del 02:00:00:00:00:0c dev tnlv-1 self",
                "fdb replace 02:00:00:00:00:0b dev tnlv-1 dst 192.0.2.12 self permanent")),
        new Case(
            "a moved member: its entry is replaced in place",
            gateway(VX_GW, Set.of(new FdbEntry("tnlv-1", "02:00:00:00:00:0b", "192.0.2.99"))),
            gateway(VX_GW, Set.of(FDB_B)),
            List.of("fdb replace 02:00:00:00:00:0b dev tnlv-1 dst 192.0.2.99 self permanent")),
        new Case(
            "a removed hop takes its entries with it; a re-created one gets them back",
            gateway(VX_C, Set.of(FDB_B)),
            gateway(VX_GW, Set.of(FDB_B, FDB_C)),
            List.of(
                "link del tnlv-1",
                "link add tnlv-1 mtu 1450 type vxlan id 7 local 192.0.2.12 remote 192.0.2.13 dstport 4789",
                "link set dev tnlv-1 up",
                "neigh replace 192.0.2.12 lladdr 02:00:00:00:00:0b dev tnlv-1 nud permanent",
                "route replace unicast 100.64.2.7/32 via 192.0.2.12 dev tnlv-1 onlink table 5570561",
                "fdb replace 02:00:00:00:00:0b dev tnlv-1 dst 192.0.2.12 self permanent")),
        new Case(
            "a changed next hop is replaced in place, a stale neighbour deleted",
            state(Set.of(VX_A), Set.of(), Set.of(DEFAULT_VX), Set.of(), Set.of()),
            state(
                Set.of(VX_A),
                Set.of(),
                Set.of(
                    Route.viaOnlink(0x540001, Cidr.parseIpv4("0.0.0.0/0"), "100.96.0.9", "tnlv-1")),
                Set.of(),
                Set.of(GW)),
            List.of(
                "neigh del 100.96.0.2 dev tnlv-1",
                "route replace unicast 0.0.0.0/0 via 100.96.0.2 dev tnlv-1 onlink table 5505025")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void diff(Case c) {
    assertThat(
            KernelDiff.commands(c.desired(), c.live()).stream().map(IpCommand::batchLine).toList())
        .containsExactlyElementsOf(c.batch());
  }
}
