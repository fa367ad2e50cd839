package io.tunnelier.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.net.InNetns;
import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The agent's ctnetlink deletes, on the real kernel, inside a lab namespace: flows from two IPv4
 * and two IPv6 sources (UDP, a TCP connection attempt, one source-NATed like a pod's flow leaving
 * as its node, one in conntrack zone 7, one where the address is the destination), deleted by
 * original source: exactly the flows from the given sources go, in every zone; the others stay.
 * Observed with the conntrack tool of the host (the agent's image has none).
 */
class NetlinkConntrackIT {
  static final String A = "198.51.100.1";
  static final String B = "198.51.100.2";
  static final String A6 = "2001:db8::1";
  static final String B6 = "2001:db8::2";

  /** Flows, in a namespace with a veth pair: packets to .200 go nowhere, but are tracked. */
  static final String FLOWS =
      """
      import socket
      def udp(family, src, sport, dst, dport):
          s = socket.socket(family, socket.SOCK_DGRAM)
          s.bind((src, sport))
          s.sendto(b"x", (dst, dport))
          s.close()
      udp(socket.AF_INET, "198.51.100.1", 4001, "198.51.100.200", 9999)
      udp(socket.AF_INET, "198.51.100.1", 4002, "198.51.100.200", 9999)
      udp(socket.AF_INET, "198.51.100.1", 4003, "198.51.100.200", 5555)  # source-NATed
      udp(socket.AF_INET, "198.51.100.1", 4004, "198.51.100.200", 7777)  # zone 7
      udp(socket.AF_INET, "198.51.100.2", 4001, "198.51.100.200", 9999)
      udp(socket.AF_INET, "198.51.100.2", 4002, "198.51.100.1", 9999)    # A as destination
      udp(socket.AF_INET6, "2001:db8::1", 4001, "2001:db8::200", 9999)
      udp(socket.AF_INET6, "2001:db8::2", 4001, "2001:db8::200", 9999)
      t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
      t.bind(("198.51.100.1", 4005))
      t.setblocking(False)
      try:
          t.connect(("198.51.100.200", 80))
      except BlockingIOError:
          pass
      """;

  /** Conntrack on for this namespace (a ct expression), a SNAT like a node's, and a zone. */
  static final String RULES =
      """
      table inet lab_ct {
        chain raw {
          type filter hook output priority raw;
          udp dport 7777 ct zone set 7
        }
        chain out {
          type filter hook output priority filter;
          ct state new counter
        }
      }
      table ip lab_nat {
        chain postrouting {
          type nat hook postrouting priority srcnat;
          udp dport 5555 snat to 198.51.100.9
        }
      }
      """;

  @Test
  void deletesExactlyTheFlowsFromTheGivenSourcesInEveryZone() throws Exception {
    Lab.assumeAvailable();
    try (Lab lab = Lab.create()) {
      Netns node = lab.netns("ct");
      node.ip("link add d0 type veth peer name d1");
      node.ip("link set d1 up");
      node.ip("address add " + A + "/24 dev d0");
      node.ip("address add " + B + "/24 dev d0");
      node.ip("address add " + A6 + "/64 dev d0 nodad");
      node.ip("address add " + B6 + "/64 dev d0 nodad");
      node.ip("link set d0 up");
      Exec.run(Duration.ofSeconds(20), node.wrap("nft", "-f", "-"), RULES.getBytes()).orThrow();
      node.execOk("/usr/bin/python3", "-c", FLOWS);
      List<String> before = flows(node);
      System.out.println("[conntrack] before:\n" + String.join("\n", before));
      assertThat(before).hasSize(9);
      assertThat(before).anyMatch(l -> l.contains("src=" + A + " ") && l.contains("zone=7"));
      assertThat(before)
          .anyMatch(l -> l.contains("src=" + A + " ") && l.contains("dst=198.51.100.9"));

      int deleted =
          InNetns.call(
              node,
              () ->
                  new NetlinkConntrack()
                      .deleteByOriginalSource(
                          Set.of(InetAddress.getByName(A), InetAddress.getByName(A6))));

      List<String> after = flows(node);
      System.out.println("[conntrack] deleted " + deleted + "; left:\n" + String.join("\n", after));
      assertThat(deleted).isEqualTo(6);
      assertThat(after).hasSize(3);
      assertThat(after).noneMatch(l -> originalSource(l).equals(A));
      assertThat(after).noneMatch(l -> originalSource(l).equals(A6));
      assertThat(after)
          .extracting(NetlinkConntrackIT::originalSource)
          .containsExactlyInAnyOrder(B, B, B6);
      assertThat(after).anyMatch(l -> l.contains("dst=" + A + " "));

      int again =
          InNetns.call(
              node,
              () ->
                  new NetlinkConntrack().deleteByOriginalSource(Set.of(InetAddress.getByName(A))));
      assertThat(again).as("nothing left to delete").isZero();
    }
  }

  /** Every tracked flow of the namespace, both families, one line each. */
  static List<String> flows(Netns ns) {
    String v4 = ns.execOk("conntrack", "-L", "-f", "ipv4");
    String v6 = ns.execOk("conntrack", "-L", "-f", "ipv6");
    return Arrays.stream((v4 + "\n" + v6).split("\n")).filter(l -> l.contains("src=")).toList();
  }

  /** The first {@code src=} of a conntrack line: the original direction's source. */
  static String originalSource(String line) {
    int at = line.indexOf("src=") + 4;
    return line.substring(at, line.indexOf(' ', at));
  }
}
