package io.tunnelier.api.peerconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.PeerSpec;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelSpec;
import io.tunnelier.api.v1alpha1.TunnelType;
import org.junit.jupiter.api.Test;

/** The GRE key both ends use: the spec's, else derived from the Tunnel's UID. */
class GreKeysTest {
  private static Tunnel tunnel(Encapsulation encap, Long key, String uid) {
    Tunnel t = new Tunnel();
    t.setMetadata(
        new ObjectMetaBuilder().withNamespace("scraping").withName("egress").withUid(uid).build());
    TunnelSpec spec = new TunnelSpec();
    spec.setType(TunnelType.EGRESS);
    spec.setEncapsulation(encap);
    PeerSpec peer = new PeerSpec();
    peer.setGreKey(key);
    spec.setPeer(peer);
    t.setSpec(spec);
    return t;
  }

  @Test
  void theSpecsKeyWins() {
    assertThat(GreKeys.effective(tunnel(Encapsulation.GRE, 4242L, "u-1"))).isEqualTo(4242L);
    assertThat(GreKeys.effective(tunnel(Encapsulation.GRE, 0L, "u-1"))).isZero();
  }

  @Test
  void withoutOneItIsDerivedFromTheUidStablyAndDistinctly() {
    String uid = "0b8e3a4e-3c4e-4f5a-9d8b-1f2e3d4c5b6a";
    Long key = GreKeys.effective(tunnel(Encapsulation.GRE_OVER_UDP, null, uid));
    assertThat(key).isNotNull().isBetween(0L, 4294967295L);
    // The same on every call, in every process (operator restarts, every agent): no state.
    assertThat(GreKeys.effective(tunnel(Encapsulation.GRE, null, uid))).isEqualTo(key);
    assertThat(GreKeys.derive(uid)).isEqualTo(key);
    // Pinned (computed independently: python3 hashlib.sha256): changing the derivation would
    // break every deployed VPS config.
    assertThat(key).isEqualTo(2772768398L);
    assertThat(GreKeys.derive("u-1")).isNotEqualTo(GreKeys.derive("u-2"));
  }

  @Test
  void siteToSiteKeepsTheSpecsKeyOrNone() {
    // The far end may be another cluster, whose Tunnel has another UID.
    Tunnel t = tunnel(Encapsulation.GRE, null, "u-1");
    t.getSpec().setType(TunnelType.SITE_TO_SITE);
    assertThat(GreKeys.effective(t)).isNull();
    t.getSpec().getPeer().setGreKey(7L);
    assertThat(GreKeys.effective(t)).isEqualTo(7L);
  }

  @Test
  void noKeyForWireGuardOrWithoutUid() {
    assertThat(GreKeys.effective(tunnel(Encapsulation.WIREGUARD, null, "u-1"))).isNull();
    assertThat(GreKeys.effective(tunnel(Encapsulation.GRE, null, null))).isNull();
  }
}
