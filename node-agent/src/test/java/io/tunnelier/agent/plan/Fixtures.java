package io.tunnelier.agent.plan;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.tunnelier.agent.kernel.Underlay;
import io.tunnelier.agent.nft.NftChain;
import io.tunnelier.agent.nft.NftSet;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.DatapathMode;
import io.tunnelier.api.v1alpha1.EgressSpec;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.PeerSpec;
import io.tunnelier.api.v1alpha1.SiteToSiteSpec;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelSpec;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.api.v1alpha1.TunnelType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Tunnels, nodes and pods for planner tests, in the lab's address ranges. */
final class Fixtures {
  static final String GW = "node-a";
  static final String MEMBER = "node-b";
  static final byte[] KEY = new byte[32];
  static final String PEER_KEY = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";

  private Fixtures() {}

  static Tunnel egress(String name, Encapsulation encap) {
    Tunnel t = new Tunnel();
    t.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("scraping")
            .withGeneration(1L)
            .build());
    TunnelSpec spec = new TunnelSpec();
    spec.setType(TunnelType.EGRESS);
    spec.setEncapsulation(encap);
    spec.setDatapath(DatapathMode.AUTO);
    PeerSpec peer = new PeerSpec();
    peer.setEndpoint(encap == Encapsulation.GRE ? "203.0.113.10" : "203.0.113.10:51820");
    if (encap == Encapsulation.WIREGUARD) {
      peer.setPublicKey(PEER_KEY);
    } else {
      peer.setGreKey(4242L);
    }
    spec.setPeer(peer);
    EgressSpec egress = new EgressSpec();
    LabelSelector selector = new LabelSelector();
    selector.setMatchLabels(Map.of("app", "scraper"));
    egress.setPodSelector(selector);
    egress.setDestinations(List.of("0.0.0.0/0"));
    egress.setExcludedDestinations(List.of("198.51.100.128/25"));
    egress.setKillSwitch(true);
    spec.setEgress(egress);
    spec.setMssClamp(true);
    spec.setMtu(0);
    t.setSpec(spec);
    t.setStatus(status(GW));
    return t;
  }

  static Tunnel siteToSite(String name) {
    Tunnel t = egress(name, Encapsulation.WIREGUARD);
    t.getSpec().setType(TunnelType.SITE_TO_SITE);
    t.getSpec().setEgress(null);
    SiteToSiteSpec s = new SiteToSiteSpec();
    s.setRemoteCIDRs(List.of("100.80.0.0/16"));
    t.getSpec().setSiteToSite(s);
    return t;
  }

  static TunnelStatus status(String gateway) {
    TunnelStatus s = new TunnelStatus();
    s.setActiveGateway(gateway);
    s.setStandbyGateways(List.of("node-c"));
    s.setTunnelAddress("100.96.0.2/31");
    s.setPeerAddress("100.96.0.3/31");
    return s;
  }

  /** Nodes with an IPv4 and an IPv6 pod CIDR, but node-c, which has IPv4 only. */
  static final List<NodeInfo> DUAL_STACK_NODES =
      List.of(
          new NodeInfo(GW, "192.0.2.11", List.of("100.64.1.0/24", "fd00:64:1::/64")),
          new NodeInfo(MEMBER, "192.0.2.12", List.of("100.64.2.0/24", "fd00:64:2::/64")),
          new NodeInfo("node-c", "192.0.2.13", List.of("100.64.3.0/24")));

  /** {@link #siteToSite} with an IPv6 remote CIDR beside the IPv4 one. */
  static Tunnel dualStackSiteToSite(String name) {
    Tunnel t = siteToSite(name);
    t.getSpec().getSiteToSite().setRemoteCIDRs(List.of("100.80.0.0/16", "fd00:80::/48"));
    return t;
  }

  static List<NodeInfo> nodes() {
    return List.of(
        new NodeInfo(GW, "192.0.2.11", List.of("100.64.1.0/24")),
        new NodeInfo(MEMBER, "192.0.2.12", List.of("100.64.2.0/24")),
        new NodeInfo("node-c", "192.0.2.13", List.of("100.64.3.0/24")));
  }

  static List<PodInfo> pods() {
    return List.of(
        pod("scraper-1", "100.64.1.5", GW, "scraper"),
        pod("scraper-2", "100.64.2.7", MEMBER, "scraper"),
        pod("web-1", "100.64.2.9", MEMBER, "web"),
        new PodInfo(
            "scraping",
            "host-scraper",
            Map.of("app", "scraper"),
            "192.0.2.12",
            MEMBER,
            true,
            false),
        new PodInfo(
            "scraping",
            "done-scraper",
            Map.of("app", "scraper"),
            "100.64.2.10",
            MEMBER,
            false,
            true),
        new PodInfo(
            "other", "scraper-x", Map.of("app", "scraper"), "100.64.2.11", MEMBER, false, false));
  }

  static PodInfo pod(String name, String ip, String node, String app) {
    return new PodInfo("scraping", name, Map.of("app", app), ip, node, false, false);
  }

  static ClusterSnapshot snapshot(Tunnel... tunnels) {
    return snapshot(nodes(), tunnels);
  }

  static ClusterSnapshot snapshot(List<NodeInfo> nodes, Tunnel... tunnels) {
    return new ClusterSnapshot(
        List.of(tunnels),
        nodes,
        pods(),
        Map.of(
            "scraping/egress",
            new TunnelKeys(KEY, null),
            "scraping/s2s",
            new TunnelKeys(KEY, null)));
  }

  /** {@link #snapshot(Tunnel...)} with {@code extraPods} besides {@link #pods()}. */
  static ClusterSnapshot snapshotWithPods(List<PodInfo> extraPods, Tunnel... tunnels) {
    ClusterSnapshot base = snapshot(tunnels);
    List<PodInfo> pods = new ArrayList<>(base.pods());
    pods.addAll(extraPods);
    return new ClusterSnapshot(base.tunnels(), base.nodes(), pods, base.keys());
  }

  static NodeContext ctx(String node, Capabilities caps) {
    return new NodeContext(
        node,
        new Underlay("eth0", 1500, "192.0.2.99"),
        caps,
        List.of(Cidr.parseIpv4("100.64.128.0/20")),
        NodeContext.DEFAULT_VXLAN_PORT);
  }

  /** One line per kernel object, set and rule: what the table-driven tests match against. */
  static List<String> describe(DesiredState s) {
    List<String> lines = new ArrayList<>(s.kernel().describe());
    for (NftSet set : s.nft().sets()) {
      lines.add("nft set " + set.name() + " " + set.elements());
    }
    for (NftChain c : s.nft().chains()) {
      for (String r : c.rules()) {
        lines.add("nft " + c.name() + " " + r);
      }
    }
    return lines;
  }
}
