package io.tunnelier.agent.datapath.gre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelier.agent.datapath.tun.FakeTunDevice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GreDemuxTest {
  private static GreTunnel tunnel(long key) {
    return new GreTunnel(
        "t" + key, key, false, false, false, null, 1400, new FakeTunDevice("t" + key, 1400));
  }

  @Test
  void findsEachTunnelByKeyAmongMany() {
    GreDemux demux = new GreDemux();
    List<GreTunnel> tunnels = new ArrayList<>();
    for (long key : new long[] {0, 1, 42, 0xFFFFFFFFL, GreTunnel.NO_KEY, 1L << 31}) {
      GreTunnel t = tunnel(key);
      tunnels.add(t);
      demux.add(t);
    }
    for (int k = 2; k < 200; k++) {
      GreTunnel t = tunnel(1000 + k * 7919L);
      tunnels.add(t);
      demux.add(t);
    }
    for (GreTunnel t : tunnels) {
      assertThat(demux.lookup(t.key())).isSameAs(t);
    }
    assertThat(demux.lookup(7)).isNull();
    assertThat(demux.size()).isEqualTo(tunnels.size());
  }

  @Test
  void aKeyServesOneTunnelAndIsFreeAgainAfterRemoval() {
    GreDemux demux = new GreDemux();
    GreTunnel a = tunnel(5);
    demux.add(a);
    assertThatThrownBy(() -> demux.add(tunnel(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("key:");
    demux.remove(a);
    assertThat(demux.lookup(5)).isNull();
    GreTunnel b = tunnel(5);
    demux.add(b);
    assertThat(demux.lookup(5)).isSameAs(b);
    demux.remove(a); // not registered any more: no effect
    assertThat(demux.lookup(5)).isSameAs(b);
  }
}
