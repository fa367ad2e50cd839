package io.tunnelier.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.operator.TestTunnels;
import io.tunnelier.operator.address.Ipv6Pool;
import java.util.List;
import org.junit.jupiter.api.Test;

class Ipv6InnerAddressesTest {
  private static final Ipv6Pool POOL = Ipv6Pool.parse("addressPool6", Ipv6Pool.DEFAULT);

  private static TunnelStatus withPairs() {
    TunnelStatus status = new TunnelStatus();
    status.setTunnelAddress("100.96.0.2/31");
    status.setPeerAddress("100.96.0.3/31");
    PeerPathStatus backup = new PeerPathStatus();
    backup.setName("second");
    backup.setTunnelAddress("100.96.0.4/31");
    backup.setPeerAddress("100.96.0.5/31");
    PeerPathStatus waiting = new PeerPathStatus();
    waiting.setName("third");
    status.setPeerPaths(List.of(backup, waiting));
    return status;
  }

  @Test
  void aTunnelCarryingIpv6GetsEveryPairEmbedded() {
    Tunnel tunnel = TestTunnels.egressWireGuard();
    tunnel.getSpec().getEgress().setDestinations(List.of("0.0.0.0/0", "::/0"));
    TunnelStatus status = Ipv6InnerAddresses.fill(tunnel, withPairs(), POOL);
    assertThat(status.getTunnelAddress6()).isEqualTo("fd00:7475:6e6e::6460:2/127");
    assertThat(status.getPeerAddress6()).isEqualTo("fd00:7475:6e6e::6460:3/127");
    assertThat(status.getPeerPaths().get(0).getTunnelAddress6())
        .isEqualTo("fd00:7475:6e6e::6460:4/127");
    assertThat(status.getPeerPaths().get(0).getPeerAddress6())
        .isEqualTo("fd00:7475:6e6e::6460:5/127");
    assertThat(status.getPeerPaths().get(1).getTunnelAddress6())
        .as("a backup still without addresses")
        .isNull();
  }

  @Test
  void anIpv6DestinationRemovedTakesTheIpv6PairsAway() {
    Tunnel tunnel = TestTunnels.egressWireGuard();
    tunnel.getSpec().getEgress().setDestinations(List.of("0.0.0.0/0", "::/0"));
    TunnelStatus status = Ipv6InnerAddresses.fill(tunnel, withPairs(), POOL);
    tunnel.getSpec().getEgress().setDestinations(List.of("0.0.0.0/0"));
    Ipv6InnerAddresses.fill(tunnel, status, POOL);
    assertThat(status.getTunnelAddress6()).isNull();
    assertThat(status.getPeerAddress6()).isNull();
    assertThat(status.getPeerPaths().get(0).getTunnelAddress6()).isNull();
    assertThat(status.getTunnelAddress()).as("the IPv4 pair stays").isEqualTo("100.96.0.2/31");
  }
}
