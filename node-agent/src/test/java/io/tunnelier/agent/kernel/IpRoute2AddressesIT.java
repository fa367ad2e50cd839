package io.tunnelier.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.net.InNetns;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.api.net.Cidr;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The addresses the agent reads back from a real kernel: both families of ours, never the IPv6
 * link-local address the kernel gives a link itself (a dual-stack egress gateway's tunnel device
 * has an IPv4 and an IPv6 inner address).
 */
class IpRoute2AddressesIT {
  @Test
  void ourAddressesOfBothFamiliesAreReadButNotTheKernelsLinkLocal() throws Exception {
    Lab.assumeAvailable();
    try (Lab lab = Lab.create()) {
      Netns node = lab.netns("node");
      // A persistent TUN device stands for the datapath's; "tnl-" makes it the agent's.
      node.ip("tuntap add dev tnl-1a2b3c4d mode tun");
      node.ip("address add 100.96.0.2/31 dev tnl-1a2b3c4d");
      node.ip("address add fd00:7475:6e6e::6460:2/127 dev tnl-1a2b3c4d");
      node.ip("address add fe80::2/64 dev tnl-1a2b3c4d");
      node.ip("link set tnl-1a2b3c4d up");
      node.ip("link add not-ours type veth peer name not-ours-1");
      node.ip("address add fd00:99::1/64 dev not-ours");
      Set<Address> read =
          InNetns.call(
              node,
              () -> new IpRoute2(new ProcessRunner(Duration.ofSeconds(20))).read().addresses());
      System.out.println("[addresses read back] " + read);
      assertThat(read)
          .containsExactlyInAnyOrder(
              new Address("tnl-1a2b3c4d", Cidr.parse("100.96.0.2/31")),
              new Address("tnl-1a2b3c4d", Cidr.parse("fd00:7475:6e6e::6460:2/127")));
    }
  }
}
