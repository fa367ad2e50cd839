package io.tunnelier.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.net.InNetns;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.net.IpFamily;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * iproute2 on a real kernel. What the agent reads through its batches ({@code ip -j -batch -}, one
 * JSON array per command): links, addresses of both families (never the link-local address the
 * kernel gives a link itself), neighbours, and routes and rules of both families, each taken for
 * its own family even where the text is the same for both ({@code "dst":"default"}); the underlay
 * (default route, its device's MTU and address) in one process. And which command a refusal names
 * when one list of commands runs as several processes ({@code ip}, {@code ip -6}).
 */
class IpRoute2IT {
  private static final int TABLE = Ownership.TABLE_MIN;

  @Test
  void aBatchedReadSeesEveryKindOfObjectOfBothFamilies() throws Exception {
    Lab.assumeAvailable();
    try (Lab lab = Lab.create()) {
      Netns node = lab.netns("node");
      node.ip("link add tnl-v0 mtu 1420 type veth peer name not-ours");
      node.ip("link set tnl-v0 up");
      node.ip("link set not-ours up");
      node.ip("address add 100.96.0.2/31 dev tnl-v0");
      node.ip("address add fd00:7475:6e6e::2/127 dev tnl-v0 nodad");
      node.ip("address add fe80::2/64 dev tnl-v0 nodad"); // link-local: never the agent's
      node.ip("address add 192.0.2.10/24 dev not-ours");
      node.ip("address add fd00:99::1/64 dev not-ours nodad");
      node.ip("route add default dev tnl-v0 table " + TABLE);
      node.ip("-6 route add default dev tnl-v0 table " + TABLE);
      node.ip("route add 198.51.100.0/24 dev not-ours table main");
      node.ip("rule add iif tnl-v0 lookup " + TABLE + " priority 10105");
      node.ip("-6 rule add iif tnl-v0 lookup " + TABLE + " priority 10105");
      node.ip("rule add from 192.0.2.0/24 lookup 100 priority 10106"); // not our table
      node.ip("neigh add 100.96.0.3 lladdr 02:00:00:00:00:01 dev tnl-v0 nud permanent");

      KernelState read =
          InNetns.call(node, () -> new IpRoute2(new ProcessRunner(Duration.ofSeconds(20))).read());
      System.out.println("[kernel read back] " + read.describe());
      assertThat(read.links()).extracting(Link::name).containsExactly("tnl-v0");
      assertThat(read.links()).extracting(Link::mtu).containsExactly(1420);
      assertThat(read.addresses())
          .containsExactlyInAnyOrder(
              new Address("tnl-v0", Cidr.parse("100.96.0.2/31")),
              new Address("tnl-v0", Cidr.parse("fd00:7475:6e6e::2/127")));
      assertThat(read.routes())
          .containsExactlyInAnyOrder(
              Route.dev(TABLE, Cidr.parse("0.0.0.0/0"), "tnl-v0"),
              Route.dev(TABLE, Cidr.parse("::/0"), "tnl-v0"));
      assertThat(read.rules())
          .containsExactlyInAnyOrder(
              Rule.fromInterface(10105, "tnl-v0", TABLE, IpFamily.IPV4),
              Rule.fromInterface(10105, "tnl-v0", TABLE, IpFamily.IPV6));
      assertThat(read.neighbors())
          .containsExactly(new Neighbor("tnl-v0", "100.96.0.3", "02:00:00:00:00:01"));
    }
  }

  @Test
  void aRefusedCommandIsNamedByItsPlaceInTheListThoughItRanInTheSecondProcess() throws Exception {
    Lab.assumeAvailable();
    try (Lab lab = Lab.create()) {
      Netns node = lab.netns("node");
      Rule v4 = Rule.fromInterface(10105, "tnl-v0", TABLE, IpFamily.IPV4);
      Rule v6 = Rule.fromInterface(10105, "tnl-v0", TABLE, IpFamily.IPV6);
      Rule v6Other = Rule.fromInterface(10106, "tnl-v0", TABLE, IpFamily.IPV6);
      Rule v4Other = Rule.fromInterface(10106, "tnl-v0", TABLE, IpFamily.IPV4);
      node.ip("-6 rule add iif tnl-v0 lookup " + TABLE + " priority 10105"); // the clash
      IpRoute2 ip = new IpRoute2(new ProcessRunner(Duration.ofSeconds(20)));
      java.util.List<IpCommand> commands =
          java.util.List.of(
              new IpCommand.AddRule(v4), // ip
              new IpCommand.AddRule(v6Other), // ip -6, line 1
              new IpCommand.AddRule(v6), // ip -6, line 2: exists
              new IpCommand.AddRule(v4Other)); // ip: never runs
      IpCommandRefused refused =
          InNetns.call(
              node,
              () -> {
                try {
                  ip.apply(commands);
                  return null;
                } catch (IpCommandRefused e) {
                  return e;
                }
              });
      assertThat(refused).as("the clash is refused").isNotNull();
      System.out.println("[refused] " + refused.index() + ": " + refused.getMessage());
      assertThat(refused.index()).isEqualTo(2);
      assertThat(refused.getMessage())
          .isEqualTo("RTNETLINK answers: File exists (ip -6 " + commands.get(2).batchLine() + ")");
      assertThat(InNetns.call(node, ip::read).rules()).containsExactlyInAnyOrder(v4, v6Other, v6);
    }
  }

  @Test
  void theUnderlayIsTheDefaultRoutesDeviceWithItsMtuAndAddress() throws Exception {
    Lab.assumeAvailable();
    try (Lab lab = Lab.create()) {
      Netns node = lab.netns("node");
      node.ip("link add uplink mtu 1400 type veth peer name other");
      node.ip("link set uplink up");
      node.ip("link set other up");
      node.ip("address add 198.51.100.9/24 dev other");
      node.ip("address add 192.0.2.10/24 dev uplink");
      node.ip("route add default via 192.0.2.1 dev uplink");
      IpRoute2 ip = new IpRoute2(new ProcessRunner(Duration.ofSeconds(20)));
      assertThat(InNetns.call(node, ip::underlay))
          .contains(new Underlay("uplink", 1400, "192.0.2.10"));

      node.ip("route del default");
      assertThat(InNetns.call(node, ip::underlay)).isEmpty();
    }
  }
}
