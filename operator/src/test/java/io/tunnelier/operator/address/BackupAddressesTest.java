package io.tunnelier.operator.address;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.v1alpha1.BackupPeerSpec;
import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.operator.TestTunnels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Backup peers' pairs: one allocator claim each, recorded in status.peerPaths. */
class BackupAddressesTest {
  /** The Tunnels in the cluster, as the API server lists them. */
  private final List<Tunnel> cluster = new ArrayList<>();

  private final AddressAllocator.Tunnels view =
      new AddressAllocator.Tunnels() {
        @Override
        public List<AddressAllocator.Claim> listed() {
          return claims();
        }

        @Override
        public List<AddressAllocator.Claim> cached() {
          return claims();
        }
      };

  private List<AddressAllocator.Claim> claims() {
    List<AddressAllocator.Claim> all = new ArrayList<>();
    for (Tunnel t : cluster) {
      all.add(primaryClaim(t));
      all.addAll(BackupAddresses.claims(t));
    }
    return all;
  }

  private static AddressAllocator.Claim primaryClaim(Tunnel t) {
    TunnelStatus s = t.getStatus();
    return new AddressAllocator.Claim(
        t.getMetadata().getUid(),
        t.getMetadata().getNamespace() + "/" + t.getMetadata().getName(),
        t.getMetadata().getCreationTimestamp(),
        t.getSpec().getAddress(),
        s == null ? null : s.getTunnelAddress(),
        s == null ? null : s.getPeerAddress());
  }

  /** Assigns the primary then the backups, as the reconciler does, and records them in status. */
  private Map<String, Assignment> reconcile(AddressAllocator allocator, Tunnel tunnel) {
    if (!cluster.contains(tunnel)) {
      cluster.add(tunnel);
    }
    Assignment primary = allocator.assign(primaryClaim(tunnel), view);
    Map<String, Assignment> backups = BackupAddresses.assign(allocator, tunnel, view);
    TunnelStatus status = tunnel.getStatus() == null ? new TunnelStatus() : tunnel.getStatus();
    primary
        .assigned()
        .ifPresent(
            p -> {
              status.setTunnelAddress(p.local().toString());
              status.setPeerAddress(p.peer().toString());
            });
    status.setPeerPaths(
        io.tunnelier.operator.status.PeerPaths.of(tunnel, primary, backups, List.of()));
    tunnel.setStatus(status);
    return backups;
  }

  private static String local(Assignment a) {
    return a.assigned().orElseThrow().local().toString();
  }

  private static Tunnel plain(String name, String uid, String created) {
    Tunnel t = TestTunnels.egressWireGuard();
    t.getMetadata().setName(name);
    t.getMetadata().setUid(uid);
    t.getMetadata().setCreationTimestamp(created);
    return t;
  }

  @Test
  void eachBackupGetsItsOwnPairAfterThePrimary() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    Tunnel ha = TestTunnels.egressWithBackups();
    Map<String, Assignment> backups = reconcile(allocator, ha);
    assertThat(ha.getStatus().getTunnelAddress()).isEqualTo("100.96.0.2/31");
    assertThat(backups.keySet()).containsExactly("vps-b", "vps-c");
    assertThat(local(backups.get("vps-b"))).isEqualTo("100.96.0.4/31");
    assertThat(backups.get("vps-b").assigned().orElseThrow().peer().toString())
        .isEqualTo("100.96.0.5/31");
    assertThat(local(backups.get("vps-c"))).isEqualTo("100.96.0.6/31");
    // Another Tunnel gets none of them.
    Tunnel other = plain("other", "other-uid", "2026-02-01T00:00:00Z");
    reconcile(allocator, other);
    assertThat(other.getStatus().getTunnelAddress()).isEqualTo("100.96.0.8/31");
    // Asked again, the same.
    assertThat(local(reconcile(allocator, ha).get("vps-c"))).isEqualTo("100.96.0.6/31");
  }

  @Test
  void recordedBackupPairsSurviveARestartEvenWhenANewTunnelIsReconciledFirst() {
    Tunnel ha = TestTunnels.egressWithBackups();
    reconcile(new AddressAllocator("100.96.0.0/16"), ha);
    // Recorded out of pool order, as after an earlier removal and re-add.
    ha.getStatus().getPeerPaths().get(1).setTunnelAddress("100.96.0.20/31");
    ha.getStatus().getPeerPaths().get(1).setPeerAddress("100.96.0.21/31");

    AddressAllocator restarted = new AddressAllocator("100.96.0.0/16");
    Tunnel newcomer = plain("newcomer", "new-uid", "2026-03-01T00:00:00Z");
    cluster.add(newcomer);
    reconcile(restarted, newcomer);
    // The lowest pair no one records: vps-b's old .4 is free now, its recorded .20 is not.
    assertThat(newcomer.getStatus().getTunnelAddress()).isEqualTo("100.96.0.4/31");
    Map<String, Assignment> again = reconcile(restarted, ha);
    assertThat(ha.getStatus().getTunnelAddress()).isEqualTo("100.96.0.2/31");
    assertThat(local(again.get("vps-b"))).isEqualTo("100.96.0.20/31");
    assertThat(local(again.get("vps-c"))).isEqualTo("100.96.0.6/31");
  }

  @Test
  void aBackupRemovedFromSpecFreesItsPairAndLeavesStatus() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    Tunnel ha = TestTunnels.egressWithBackups();
    reconcile(allocator, ha);
    ha.getSpec().getBackupPeers().remove(0); // vps-b goes
    Map<String, Assignment> backups = reconcile(allocator, ha);
    assertThat(backups.keySet()).containsExactly("vps-c");
    assertThat(local(backups.get("vps-c"))).isEqualTo("100.96.0.6/31");
    assertThat(ha.getStatus().getPeerPaths())
        .extracting(PeerPathStatus::getName)
        .containsExactly("primary", "vps-c");
    Tunnel other = plain("other", "other-uid", "2026-02-01T00:00:00Z");
    reconcile(allocator, other);
    assertThat(other.getStatus().getTunnelAddress()).isEqualTo("100.96.0.4/31");
  }

  @Test
  void aDeletedTunnelReleasesItsBackups() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    Tunnel ha = TestTunnels.egressWithBackups();
    reconcile(allocator, ha);
    allocator.release(ha.getMetadata().getUid());
    BackupAddresses.releaseAll(allocator, ha.getMetadata().getUid());
    cluster.remove(ha);
    Tunnel next = TestTunnels.egressWithBackups();
    next.getMetadata().setUid("next-uid");
    next.getMetadata().setName("next");
    Map<String, Assignment> backups = reconcile(allocator, next);
    assertThat(next.getStatus().getTunnelAddress()).isEqualTo("100.96.0.2/31");
    assertThat(local(backups.get("vps-b"))).isEqualTo("100.96.0.4/31");
  }

  @Test
  void anExhaustedPoolLeavesTheBackupWithoutAPairAndThePrimaryWithItsOwn() {
    // A /29 has pairs .2, .4, .6 (pair 0 is skipped).
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/29");
    Tunnel first = plain("first", "first-uid", "2025-12-01T00:00:00Z");
    reconcile(allocator, first);
    Tunnel ha = TestTunnels.egressWithBackups();
    Map<String, Assignment> backups = reconcile(allocator, ha);
    assertThat(ha.getStatus().getTunnelAddress()).isEqualTo("100.96.0.4/31");
    assertThat(local(backups.get("vps-b"))).isEqualTo("100.96.0.6/31");
    assertThat(backups.get("vps-c")).isEqualTo(new Assignment.PoolExhausted("100.96.0.0/29"));
    assertThat(ha.getStatus().getPeerPaths().get(2).getTunnelAddress()).isNull();
  }

  @Test
  void claimsAreNamedAfterTheTunnelAndPeer() {
    Tunnel ha = TestTunnels.egressWithBackups();
    assertThat(BackupAddresses.claims(ha))
        .extracting(AddressAllocator.Claim::uid, AddressAllocator.Claim::name)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("7777-8888/peer/vps-b", "scraping/egress-ha/vps-b"),
            org.assertj.core.groups.Tuple.tuple(
                "7777-8888/peer/vps-c", "scraping/egress-ha/vps-c"));
    assertThat(BackupAddresses.claims(TestTunnels.egressWireGuard())).isEmpty();
    assertThat(BackupPeerSpec.PRIMARY).isEqualTo("primary");
  }
}
