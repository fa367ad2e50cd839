package io.tunnelier.agent.plan;

import static io.tunnelier.agent.plan.Fixtures.GW;
import static io.tunnelier.agent.plan.Fixtures.MEMBER;
import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.kernel.Underlay;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.peerconfig.GreKeys;
import io.tunnelier.api.peerconfig.TunnelPeers;
import io.tunnelier.api.v1alpha1.BackupPeerSpec;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A gateway's plan for a Tunnel with a backup VPS: a device each, traffic through one. */
class BackupPeersPlanTest {
  private static final TunnelId ID = TunnelId.of("scraping/egress");
  private static final String PRIMARY_DEV = ID.deviceName();
  private static final String BACKUP_DEV = ID.deviceName() + "-1";

  private static Tunnel withBackup(Encapsulation encap, boolean allocated) {
    Tunnel t = Fixtures.egress("egress", encap);
    t.getMetadata().setUid("8d1c7f7e-4b6a-4f55-9a43-1f0a2c3b4d5e");
    BackupPeerSpec b = new BackupPeerSpec();
    b.setName("vps-b");
    b.setEndpoint(encap == Encapsulation.GRE ? "203.0.113.20" : "203.0.113.20:51820");
    if (encap == Encapsulation.WIREGUARD) {
      b.setPublicKey(Fixtures.PEER_KEY);
    }
    t.getSpec().setBackupPeers(List.of(b));
    if (allocated) {
      PeerPathStatus p = new PeerPathStatus();
      p.setName("primary");
      p.setTunnelAddress("100.96.0.2/31");
      p.setPeerAddress("100.96.0.3/31");
      PeerPathStatus q = new PeerPathStatus();
      q.setName("vps-b");
      q.setTunnelAddress("100.96.0.4/31");
      q.setPeerAddress("100.96.0.5/31");
      t.getStatus().setPeerPaths(List.of(p, q));
    }
    return t;
  }

  private static NodeContext ctx(String node, Map<String, String> active) {
    return new NodeContext(
        node,
        new Underlay("eth0", 1500, "192.0.2.99"),
        Capabilities.NO_TUNNEL_MODULES,
        List.of(Cidr.parseIpv4("100.64.128.0/20")),
        NodeContext.DEFAULT_VXLAN_PORT,
        active);
  }

  private static TunnelPlan plan(Tunnel t, String node, Map<String, String> active) {
    return ClusterPlanner.plan(Fixtures.snapshot(t), ctx(node, active)).get(0);
  }

  @Test
  void theGatewayBringsUpEveryPeerAndRoutesThroughThePrimary() {
    TunnelPlan p = plan(withBackup(Encapsulation.WIREGUARD, true), GW, Map.of());
    assertThat(p.problem()).isNull();
    assertThat(p.backupPeers().active()).isEqualTo("primary");
    assertThat(p.device().name()).isEqualTo(PRIMARY_DEV);
    assertThat(p.datapaths()).containsOnlyKeys("scraping/egress", "scraping/egress#vps-b");
    assertThat(p.activeDatapathKey()).isEqualTo("scraping/egress");
    TunnelDevice backup = p.datapaths().get("scraping/egress#vps-b");
    assertThat(backup.name()).isEqualTo(BACKUP_DEV);
    assertThat(backup.address()).isEqualTo(Cidr.parseIpv4("100.96.0.4/31"));
    assertThat(((DatapathConfig.WireGuard) backup.config()).peer().toString())
        .contains("203.0.113.20:51820");

    List<String> lines = Fixtures.describe(DesiredStateFunction.compute(List.of(p)));
    assertThat(lines)
        .anyMatch(l -> l.contains("link Link[name=" + BACKUP_DEV + ","))
        .anyMatch(l -> l.contains("100.96.0.4/31") && l.contains(BACKUP_DEV))
        .anyMatch(l -> l.contains("via=100.96.0.3") && l.contains(PRIMARY_DEV))
        .anyMatch(l -> l.contains("snat ip to 100.96.0.2") && l.contains(PRIMARY_DEV))
        .anyMatch(l -> l.contains("oifname != \"" + PRIMARY_DEV + "\""))
        // The standby's device takes in only replies (its probes); nothing is routed into it.
        .anyMatch(
            l ->
                l.startsWith("nft input iifname \"" + BACKUP_DEV + "\"")
                    && l.contains("ct state established,related accept"))
        .anyMatch(
            l -> l.startsWith("nft input iifname \"" + BACKUP_DEV + "\"") && l.contains("drop"))
        .noneMatch(l -> l.contains("oifname \"" + BACKUP_DEV + "\" accept"))
        .noneMatch(l -> l.contains("via=100.96.0.5"));
  }

  @Test
  void aBackupVpsOverIpv6GivesEveryDeviceRoomForTheIpv6Header() {
    Tunnel t = withBackup(Encapsulation.WIREGUARD, true);
    assertThat(plan(t, GW, Map.of()).device().mtu()).isEqualTo(1440);
    t.getSpec().getBackupPeers().get(0).setEndpoint("[2001:db8:0:3::20]:51820");
    TunnelPlan p = plan(t, GW, Map.of());
    // One MTU for both devices: routes keep it when the gateway fails over to the backup.
    assertThat(p.device().mtu()).isEqualTo(1420);
    assertThat(p.datapaths().get("scraping/egress#vps-b").mtu()).isEqualTo(1420);
  }

  @Test
  void theHealthChecksChoiceMovesRoutesNatAndTheKillSwitch() {
    TunnelPlan p =
        plan(withBackup(Encapsulation.WIREGUARD, true), GW, Map.of("scraping/egress", "vps-b"));
    assertThat(p.backupPeers().active()).isEqualTo("vps-b");
    assertThat(p.device().name()).isEqualTo(BACKUP_DEV);
    assertThat(p.activeDatapathKey()).isEqualTo("scraping/egress#vps-b");
    assertThat(p.killSwitch().allowedDev()).isEqualTo(BACKUP_DEV);
    // The primary's device stays up, under the same datapath key: a switch reopens nothing.
    assertThat(p.datapaths()).containsKey("scraping/egress");
    List<String> lines = Fixtures.describe(DesiredStateFunction.compute(List.of(p)));
    assertThat(lines)
        .anyMatch(l -> l.contains("via=100.96.0.5") && l.contains(BACKUP_DEV))
        .anyMatch(l -> l.contains("snat ip to 100.96.0.4") && l.contains(BACKUP_DEV))
        .anyMatch(l -> l.contains("oifname != \"" + BACKUP_DEV + "\""))
        .noneMatch(l -> l.contains("via=100.96.0.3"))
        .noneMatch(l -> l.contains("snat ip to 100.96.0.2"));
  }

  @Test
  void aRestartedGatewayStartsOnThePeerItReportedLast() {
    Tunnel t = withBackup(Encapsulation.WIREGUARD, true);
    NodeStatus mine = new NodeStatus();
    mine.setName(GW);
    mine.setActivePeer("vps-b");
    t.getStatus().setNodes(List.of(mine));
    assertThat(plan(t, GW, Map.of()).backupPeers().active()).isEqualTo("vps-b");
  }

  @Test
  void aBackupWithoutAddressesWaitsAndThePrimaryCarriesTheTraffic() {
    TunnelPlan p =
        plan(withBackup(Encapsulation.WIREGUARD, false), GW, Map.of("scraping/egress", "vps-b"));
    assertThat(p.problem()).isNull();
    assertThat(p.device().name()).isEqualTo(PRIMARY_DEV);
    assertThat(p.backupPeers().active()).isEqualTo("primary");
    assertThat(p.backupPeers().peers().get(1).problem())
        .isEqualTo(
            "waiting for the operator to allocate the addresses of backup peer vps-b"
                + " (status.peerPaths)");
    assertThat(p.datapaths()).containsOnlyKeys("scraping/egress");
  }

  @Test
  void eachGreBackupHasAKeyOfItsOwn() {
    Tunnel t = withBackup(Encapsulation.GRE_OVER_UDP, true);
    t.getSpec().getPeer().setGreKey(null);
    TunnelPlan p = plan(t, GW, Map.of());
    DatapathConfig.Gre primary = (DatapathConfig.Gre) p.datapaths().get("scraping/egress").config();
    DatapathConfig.Gre backup =
        (DatapathConfig.Gre) p.datapaths().get("scraping/egress#vps-b").config();
    assertThat(primary.key()).isEqualTo(GreKeys.effective(t));
    assertThat(backup.key()).isEqualTo(GreKeys.effective(t, TunnelPeers.of(t).get(1)));
    assertThat(backup.key()).isNotEqualTo(primary.key());
  }

  @Test
  void membersKnowNothingOfThePeers() {
    TunnelPlan p = plan(withBackup(Encapsulation.WIREGUARD, true), MEMBER, Map.of());
    assertThat(p.backupPeers()).isNull();
    assertThat(p.device()).isNull();
    assertThat(p.datapaths()).isEmpty();
  }

  @Test
  void carryingIpv6EachPeerDeviceHasItsIpv6PairAndTheActiveOneIsTheSnatSource() {
    Tunnel t = withBackup(Encapsulation.WIREGUARD, true);
    t.getSpec().getEgress().setDestinations(List.of("0.0.0.0/0", "::/0"));
    t.getStatus().setTunnelAddress6("fd00:7475:6e6e::6460:2/127");
    t.getStatus().getPeerPaths().get(0).setTunnelAddress6("fd00:7475:6e6e::6460:2/127");
    t.getStatus().getPeerPaths().get(1).setTunnelAddress6("fd00:7475:6e6e::6460:4/127");
    TunnelPlan onBackup = plan(t, GW, Map.of("scraping/egress", "vps-b"));
    assertThat(onBackup.datapaths().get("scraping/egress").address6())
        .isEqualTo(Cidr.parse("fd00:7475:6e6e::6460:2/127"));
    assertThat(onBackup.device().name()).isEqualTo(BACKUP_DEV);
    assertThat(onBackup.device().address6()).isEqualTo(Cidr.parse("fd00:7475:6e6e::6460:4/127"));
    assertThat(onBackup.nat())
        .isEqualTo(new Nat.Snat(BACKUP_DEV, "100.96.0.4", "fd00:7475:6e6e::6460:4"));
    assertThat(Fixtures.describe(DesiredStateFunction.compute(List.of(onBackup))))
        .anyMatch(l -> l.contains("fd00:7475:6e6e::6460:2/127") && l.contains(PRIMARY_DEV))
        .anyMatch(l -> l.contains("fd00:7475:6e6e::6460:4/127") && l.contains(BACKUP_DEV));
  }
}
