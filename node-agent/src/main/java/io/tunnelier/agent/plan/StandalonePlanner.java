package io.tunnelier.agent.plan;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.kernel.Underlay;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.net.IpFamily;
import io.tunnelier.api.peerconfig.HostPort;
import io.tunnelier.api.peerconfig.StandaloneConfig;
import io.tunnelier.api.peerconfig.StandaloneTunnel;
import io.tunnelier.api.v1alpha1.DatapathMode;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.TunnelType;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Standalone mode (a VPS, or a remote site without Kubernetes): what each tunnel of a validated
 * config needs on this host. Pure. Egress: the tunnel device, routes (if any) back into the tunnel,
 * masquerade out of the public interface. Site-to-site: the device and routes, no NAT.
 */
public final class StandalonePlanner {
  private StandalonePlanner() {}

  public static List<TunnelPlan> plan(
      StandaloneConfig config, Underlay underlay, Capabilities caps) {
    List<StandaloneTunnel> tunnels = config.getTunnels();
    Map<String, TunnelId> ids =
        TunnelIds.assign(tunnels.stream().map(StandaloneTunnel::getName).sorted().toList());
    List<TunnelPlan> plans = new ArrayList<>();
    for (StandaloneTunnel t : tunnels) {
      plans.add(planOne(t, ids.get(t.getName()), underlay, caps));
    }
    return plans;
  }

  private static TunnelPlan planOne(
      StandaloneTunnel t, TunnelId id, Underlay underlay, Capabilities caps) {
    Encapsulation encap = t.getEncapsulation();
    int underlayMtu = underlay == null ? 1500 : underlay.mtu();
    // The far end of an [IPv6] peer.endpoint listens on [::] (peer.yaml's listen).
    IpFamily underlayFamily = Mtu.underlayFamily(Arrays.asList(t.getListen(), t.getPeerEndpoint()));
    int mtu = Mtu.tunnel(t.getMtu(), null, underlayMtu, encap, underlayFamily);
    int mss = t.getMssClamp() == null || t.getMssClamp() ? mtu - Mtu.TCP_IP_HEADERS : 0;
    Cidr address = Cidr.parseIpv4(t.getAddress());
    Cidr peer = Cidr.parseIpv4(t.getPeerAddress());
    // Egress carrying IPv6: the gateway's IPv6 inner address is masqueraded too (validated: both
    // or neither).
    Cidr address6 = t.getAddress6() == null ? null : Cidr.parse(t.getAddress6());
    Cidr peer6 = t.getPeerAddress6() == null ? null : Cidr.parse(t.getPeerAddress6());
    List<Cidr> routes = Cidrs.parseAll(t.getRoutes());

    // No peerEndpoint: the VPS learns its peer from the packets (the cluster's gateway may move).
    boolean peerLearned = t.getPeerEndpoint() == null || t.getPeerEndpoint().isBlank();
    DatapathChoice.Result choice =
        DatapathChoice.choose(
            DatapathMode.AUTO, encap, caps, peerLearned, underlayFamily == IpFamily.IPV6);
    if (choice.problem() != null) {
      return new TunnelPlan(
          id, Role.PEER, t.getType(), null, null, null, null, 0, null, choice.problem());
    }
    Nat nat = null;
    if (t.getType() == TunnelType.EGRESS) {
      String out =
          t.getMasqueradeInterface() != null
              ? t.getMasqueradeInterface()
              : underlay == null ? null : underlay.dev();
      if (out == null) {
        return new TunnelPlan(
            id,
            Role.PEER,
            t.getType(),
            null,
            null,
            null,
            null,
            0,
            null,
            "masqueradeInterface is not set and this host has no default route to take it from");
      }
      List<Cidr> sources = new ArrayList<>(routes);
      sources.add(peer.network());
      if (peer6 != null) {
        sources.add(peer6.network());
      }
      nat = new Nat.Masquerade(id.deviceName(), out, sources);
    }
    TunnelDevice device =
        new TunnelDevice(
            id.deviceName(),
            address,
            peer.ip(),
            mtu,
            choice.datapath(),
            choice.reason(),
            datapathConfig(t, id, mtu),
            address6);
    Routing routing = new Routing(device.name(), peer.ip(), routes, List.of(), List.of(), true);
    return new TunnelPlan(id, Role.PEER, t.getType(), device, null, routing, nat, mss, null, null);
  }

  private static DatapathConfig datapathConfig(StandaloneTunnel t, TunnelId id, int mtu) {
    InetSocketAddress peer =
        t.getPeerEndpoint() == null || t.getPeerEndpoint().isBlank()
            ? null
            : DatapathConfigs.socketAddress(
                HostPort.parse(t.getPeerEndpoint()), DatapathConfigs.GRE_UDP_PORT);
    HostPort listen =
        t.getListen() == null || t.getListen().isBlank() ? null : HostPort.parse(t.getListen());
    int keepalive = t.getKeepaliveSeconds() == null ? 0 : t.getKeepaliveSeconds();
    if (t.getEncapsulation() == Encapsulation.WIREGUARD) {
      return new DatapathConfig.WireGuard(
          id.deviceName(),
          mtu,
          DatapathConfigs.key(t.getPrivateKey()),
          DatapathConfigs.key(t.getPeerPublicKey()),
          null,
          listen.port(),
          peer,
          keepalive,
          peer != null
              ? peer.getAddress() instanceof Inet6Address
              : listen.family() == IpFamily.IPV6);
    }
    InetSocketAddress local = listen == null ? null : DatapathConfigs.socketAddress(listen, 0);
    DatapathConfig.Gre gre =
        (DatapathConfig.Gre)
            DatapathConfigs.gre(
                id.deviceName(), mtu, t.getEncapsulation(), local, peer, t.getGreKey());
    List<String> allowed = t.getAllowedSources() == null ? List.of() : t.getAllowedSources();
    return gre.withAllowedSources(allowed.stream().map(Cidr::parse).toList());
  }
}
