package io.tunnelier.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.FakeDatapath;
import io.tunnelier.agent.plan.TunnelDevice;
import io.tunnelier.api.v1alpha1.NodeDatapath;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A far end given as a DNS name: resolved on every sync, re-opened when the answer changes. */
class OpenDatapathsTest {
  static final String KEY = "scraping/egress";
  static final String DEV = "tnl-00000001";

  final Map<String, String> dns = new HashMap<>();
  final List<InetSocketAddress> openedTowards = new ArrayList<>();
  final List<String> closed = new ArrayList<>();
  final OpenDatapaths datapaths =
      new OpenDatapaths(
          (kind, config) -> {
            openedTowards.add(config.peer());
            return new FakeDatapath(config, FakeDatapath.NO_TRAFFIC, () -> closed.add(DEV));
          },
          unresolved -> {
            String ip = dns.get(unresolved.getHostString());
            if (ip == null) {
              throw new UnknownHostException(unresolved.getHostString());
            }
            return new InetSocketAddress(
                PeerResolver.checked(unresolved.getHostString(), InetAddress.getByName(ip)),
                unresolved.getPort());
          });

  static Map<String, TunnelDevice> wanted(String host) {
    DatapathConfig config =
        new DatapathConfig.Gre(
            DEV,
            1400,
            true,
            null,
            4754,
            InetSocketAddress.createUnresolved(host, 4754),
            7L,
            false,
            false);
    return Map.of(
        KEY, new TunnelDevice(DEV, null, null, 1400, NodeDatapath.USERSPACE, "test", config));
  }

  @Test
  void aDnsNameIsResolvedAndAChangedAnswerReopensTowardsTheNewAddress() {
    dns.put("vps.example.net", "203.0.113.10");
    assertThat(datapaths.sync(wanted("vps.example.net"), Set.of())).isEmpty();
    assertThat(openedTowards).containsExactly(new InetSocketAddress("203.0.113.10", 4754));

    // Same answer: nothing happens (the device exists now).
    assertThat(datapaths.sync(wanted("vps.example.net"), Set.of(DEV))).isEmpty();
    assertThat(openedTowards).hasSize(1);

    // The VPS moved: closed and opened again towards its new address.
    dns.put("vps.example.net", "203.0.113.20");
    assertThat(datapaths.sync(wanted("vps.example.net"), Set.of(DEV))).isEmpty();
    assertThat(closed).containsExactly(DEV);
    assertThat(openedTowards).last().isEqualTo(new InetSocketAddress("203.0.113.20", 4754));
  }

  @Test
  void aNameThatStopsResolvingKeepsTheOpenDatapathAndWithoutOneIsAnError() {
    dns.put("vps.example.net", "203.0.113.10");
    datapaths.sync(wanted("vps.example.net"), Set.of());
    dns.clear();
    assertThat(datapaths.sync(wanted("vps.example.net"), Set.of(DEV))).isEmpty();
    assertThat(closed).isEmpty();
    assertThat(datapaths.stats(KEY)).isPresent();

    OpenDatapaths fresh =
        new OpenDatapaths(
            (kind, config) -> {
              throw new AssertionError("nothing to open");
            },
            unresolved -> {
              throw new UnknownHostException(unresolved.getHostString());
            });
    assertThat(fresh.sync(wanted("gone.example.net"), Set.of()))
        .containsEntry(
            KEY, "cannot resolve the peer's address gone.example.net: no such host (or no answer)");
  }

  @Test
  void aNameResolvingToLoopbackOrMetadataIsRefused() throws Exception {
    dns.put("evil.example.net", "127.0.0.1");
    assertThat(datapaths.sync(wanted("evil.example.net"), Set.of()).get(KEY))
        .isEqualTo(
            "cannot resolve the peer's address evil.example.net: evil.example.net resolves to"
                + " 127.0.0.1, a loopback, unspecified, link-local, multicast or reserved address"
                + " that no tunnel may send to");
    dns.put("evil.example.net", "169.254.169.254");
    assertThat(datapaths.sync(wanted("evil.example.net"), Set.of()).get(KEY))
        .contains("169.254.169.254, a loopback");
    assertThat(openedTowards).isEmpty();
    for (String bad : List.of("0.0.0.0", "0.1.2.3", "224.0.0.1", "255.255.255.255", "240.0.0.1")) {
      assertThatThrownBy(() -> PeerResolver.checked("x", InetAddress.getByName(bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(PeerResolver.checked("x", InetAddress.getByName("198.51.100.7")).getHostAddress())
        .isEqualTo("198.51.100.7");
  }
}
