package io.tunnelier.agent.datapath.gre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.kernel.FakeCommandRunner;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class KernelGreDatapathTest {
  private final FakeCommandRunner ip = new FakeCommandRunner();
  private final KernelGreDatapathFactory factory = new KernelGreDatapathFactory(ip, peer -> 1500);

  private static DatapathConfig.Gre config(boolean udp, String peer, boolean seq, boolean csum) {
    return new DatapathConfig.Gre(
        "tnl-k",
        0,
        udp,
        new InetSocketAddress("192.0.2.1", 0),
        0,
        peer == null ? null : new InetSocketAddress(peer, 0),
        4242L,
        seq,
        csum);
  }

  @Test
  void rawGreIsOneKernelDeviceWithKeyAndMtu() throws Exception {
    Datapath d = factory.open(config(false, "192.0.2.2", true, true));
    assertThat(d.mtu()).isEqualTo(1500 - 20 - 4 - 4 - 4 - 4);
    assertThat(ip.lines())
        .containsExactly(
            "ip link add tnl-k type gre remote 192.0.2.2 local 192.0.2.1 ttl 64 key 4242 seq csum",
            "ip link set dev tnl-k mtu 1464",
            "ip link set dev tnl-k up");
    d.close();
    d.close();
    assertThat(ip.lines()).endsWith("ip link del dev tnl-k").hasSize(4);
  }

  @Test
  void greInUdpIsFouEncapsulationAndTheFouPortIsSharedUntilTheLastTunnel() throws Exception {
    Datapath a = factory.open(config(true, "192.0.2.2", false, false));
    Datapath b =
        factory.open(
            new DatapathConfig.Gre(
                "tnl-k2",
                1400,
                true,
                new InetSocketAddress("192.0.2.1", 0),
                0,
                new InetSocketAddress("192.0.2.3", 5000),
                1L,
                false,
                false));
    assertThat(a.mtu()).isEqualTo(1500 - 20 - 8 - 8);
    assertThat(b.mtu()).isEqualTo(1400);
    assertThat(ip.lines())
        .containsExactly(
            "ip fou add port 4754 ipproto 47",
            "ip link add tnl-k type gre remote 192.0.2.2 local 192.0.2.1 ttl 64 key 4242"
                + " encap fou encap-sport 4754 encap-dport 4754",
            "ip link set dev tnl-k mtu 1464",
            "ip link set dev tnl-k up",
            "ip link add tnl-k2 type gre remote 192.0.2.3 local 192.0.2.1 ttl 64 key 1"
                + " encap fou encap-sport 4754 encap-dport 5000",
            "ip link set dev tnl-k2 mtu 1400",
            "ip link set dev tnl-k2 up");
    a.close();
    assertThat(ip.lines()).last().isEqualTo("ip link del dev tnl-k");
    b.close();
    assertThat(ip.lines()).endsWith("ip link del dev tnl-k2", "ip fou del port 4754");
  }

  @Test
  void aFailedStepRemovesWhatWasCreatedAndSaysWhy() {
    ip.failOn("up", "RTNETLINK answers: Operation not supported");
    assertThatThrownBy(() -> factory.open(config(false, "192.0.2.2", false, false)))
        .hasMessageContaining("ip link set dev tnl-k up")
        .hasMessageContaining("Operation not supported");
    assertThat(ip.lines()).last().isEqualTo("ip link del dev tnl-k");
  }

  @Test
  void kernelDevicesNeedAPeer() {
    assertThatThrownBy(() -> factory.open(config(false, null, false, false)))
        .hasMessageStartingWith("peer:");
    assertThat(ip.lines()).isEmpty();
  }

  @Test
  void statsComeFromTheKernelCounters() throws Exception {
    Datapath d = factory.open(config(false, "192.0.2.2", false, false));
    ip.answer(
        "[{\"ifname\":\"tnl-k\",\"stats64\":{\"rx\":{\"bytes\":1000,\"packets\":10,\"errors\":0,"
            + "\"dropped\":2},\"tx\":{\"bytes\":2000,\"packets\":20,\"errors\":1,\"dropped\":0}}}]");
    var s = d.stats();
    assertThat(s.rxPackets()).isEqualTo(10);
    assertThat(s.rxBytes()).isEqualTo(1000);
    assertThat(s.txPackets()).isEqualTo(20);
    assertThat(s.txBytes()).isEqualTo(2000);
    assertThat(s.drops()).containsOnlyKeys("kernel-rx-dropped", "kernel-tx-errors");
    ip.failOn("-j", "RTNETLINK answers: Operation not supported");
    assertThat(d.stats().drops()).containsKey("kernel-stats-unreadable");
  }

  @Test
  void probeReportsAMissingModule() throws Exception {
    assertThat(KernelGreDatapathFactory.unavailableReason(ip)).isNull();
    assertThat(ip.lines().get(1)).startsWith("ip link del dev greprobe");
    ip.failOn("type gre", "RTNETLINK answers: Operation not supported");
    assertThat(KernelGreDatapathFactory.unavailableReason(ip))
        .contains("no GRE support")
        .contains("Operation not supported");
  }
}
