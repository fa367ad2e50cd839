package io.tunnelier.operator.address;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.keys.WireGuardKeyPair;
import io.tunnelier.api.keys.X25519Keys;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.TunnelType;
import io.tunnelier.operator.TestTunnels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyDerivedPairTest {
  private static final Cidr POOL = AddressPool.parse("siteToSiteAddressPool", "100.97.0.0/16");

  /** The example's cluster B key (first byte 0xC5) and the unit tests' peer key (0x1C). */
  private static final String KEY_C5 = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";

  private static final String KEY_1C = TestTunnels.PEER_PUBLIC_KEY;

  /** 0x7F01... and 0x8001...: a signed byte comparison would order them the other way round. */
  private static final String KEY_7F = "fwEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

  private static final String KEY_80 = "gAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

  private static AddressPair derive(Cidr pool, String own, String peer) {
    return KeyDerivedPair.derive(
        pool, X25519Keys.publicKeyBytes(own), X25519Keys.publicKeyBytes(peer));
  }

  private static String text(AddressPair pair) {
    return pair.local() + " " + pair.peer();
  }

  /**
   * Answers computed outside Java (Python's hashlib and ipaddress): two clusters may run different
   * operator versions, and any change to the formula would split them.
   */
  static Stream<Arguments> knownAnswers() {
    return Stream.of(
        // SHA-256 prefix 0x6b3f560452587745, index 30533; KEY_1C is the lower key.
        Arguments.of("100.97.0.0/16", KEY_C5, KEY_1C, "100.97.238.139/31 100.97.238.138/31"),
        Arguments.of("100.97.0.0/16", KEY_1C, KEY_C5, "100.97.238.138/31 100.97.238.139/31"),
        Arguments.of("198.51.100.0/24", KEY_C5, KEY_1C, "198.51.100.139/31 198.51.100.138/31"),
        Arguments.of("100.97.0.0/30", KEY_1C, KEY_C5, "100.97.0.2/31 100.97.0.3/31"),
        // SHA-256 prefix 0xf879330a71bd69fb (top bit set: unsigned), index 27131; 0x7F is lower.
        Arguments.of("100.97.0.0/16", KEY_7F, KEY_80, "100.97.211.246/31 100.97.211.247/31"),
        Arguments.of("100.97.0.0/16", KEY_80, KEY_7F, "100.97.211.247/31 100.97.211.246/31"));
  }

  @ParameterizedTest(name = "{0}: {3}")
  @MethodSource("knownAnswers")
  void derivesTheSpecifiedPair(String pool, String own, String peer, String expected) {
    assertThat(text(derive(AddressPool.parse("pool", pool), own, peer))).isEqualTo(expected);
  }

  /** A public key for the tests: 32 bytes, different for every {@code n}, the same every run. */
  private static byte[] key(int n) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256")
          .digest(("test key " + n).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void bothClustersGetTheMirrorImage() {
    List<byte[]> keys = new ArrayList<>();
    for (String k : List.of(KEY_C5, KEY_1C, KEY_7F, KEY_80)) {
      keys.add(X25519Keys.publicKeyBytes(k));
    }
    for (int n = 0; n < 40; n++) {
      keys.add(key(n));
    }
    for (byte[] a : keys) {
      for (byte[] b : keys) {
        if (a == b) {
          continue;
        }
        AddressPair clusterA = KeyDerivedPair.derive(POOL, a, b);
        AddressPair clusterB = KeyDerivedPair.derive(POOL, b, a);
        assertThat(clusterA.local())
            .as("A's tunnelAddress is B's peerAddress")
            .isEqualTo(clusterB.peer());
        assertThat(clusterA.peer())
            .as("A's peerAddress is B's tunnelAddress")
            .isEqualTo(clusterB.local());
        assertThat(clusterA.local().network()).as("one /31").isEqualTo(clusterA.peer().network());
        assertThat(clusterA.local().prefix()).isEqualTo(31);
      }
    }
  }

  @Test
  void theEndWithTheLowerKeyTakesTheEvenAddress() {
    // Lower by unsigned bytes: 0x7F.. < 0x80.., 0x1C.. < 0xC5..
    assertThat(derive(POOL, KEY_7F, KEY_80).local().isOdd()).isFalse();
    assertThat(derive(POOL, KEY_80, KEY_7F).local().isOdd()).isTrue();
    assertThat(derive(POOL, KEY_1C, KEY_C5).local().isOdd()).isFalse();
    assertThat(derive(POOL, KEY_C5, KEY_1C).local().isOdd()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"100.97.0.0/30", "100.97.0.8/29", "100.97.0.0/16", "100.97.5.7/24"})
  void everyPairIsInsideThePool(String poolText) {
    Cidr pool = AddressPool.parse("pool", poolText);
    Set<Cidr> pairsSeen = new HashSet<>();
    for (int n = 1; n <= 200; n++) {
      AddressPair pair = KeyDerivedPair.derive(pool, key(0), key(n));
      assertThat(pool.contains(pair.local().host())).as("%s in %s", pair, pool).isTrue();
      assertThat(pool.contains(pair.peer().host())).as("%s in %s", pair, pool).isTrue();
      pairsSeen.add(pair.local().network());
    }
    if (pool.addressCount() <= 8) {
      assertThat(pairsSeen)
          .as("in a small pool every pair is used, the first one too")
          .hasSize((int) pool.addressCount() / 2);
    }
  }

  @Test
  void aKeyChangeGivesAnotherPair() {
    assertThat(derive(POOL, KEY_80, KEY_C5)).isNotEqualTo(derive(POOL, KEY_80, KEY_1C));
  }

  @Test
  void withoutThePeerKeyThereIsNoPair() {
    assertThat(KeyDerivedPair.assign(POOL, KEY_1C, null))
        .isEqualTo(new Assignment.PeerPublicKeyMissing(false));
    assertThat(KeyDerivedPair.assign(POOL, KEY_1C, ""))
        .isEqualTo(new Assignment.PeerPublicKeyMissing(false));
    assertThat(KeyDerivedPair.assign(POOL, null, ""))
        .isInstanceOf(Assignment.PeerPublicKeyMissing.class);
  }

  @Test
  void thisEndsOwnKeyAsPeerKeyIsNoPeerKey() {
    assertThat(KeyDerivedPair.assign(POOL, KEY_1C, KEY_1C))
        .isEqualTo(new Assignment.PeerPublicKeyMissing(true));
  }

  @Test
  void withoutThisEndsKeysItWaits() {
    assertThat(KeyDerivedPair.assign(POOL, null, KEY_C5))
        .isEqualTo(new Assignment.WaitingForKeys());
  }

  @Test
  void withBothKeysItAssignsTheDerivedPair() {
    WireGuardKeyPair own = X25519Keys.generate();
    assertThat(KeyDerivedPair.assign(POOL, own.publicKey(), KEY_C5))
        .isEqualTo(new Assignment.Assigned(derive(POOL, own.publicKey(), KEY_C5)));
  }

  @Test
  void appliesToWireGuardSiteToSiteWithoutSpecAddressOnly() {
    var spec = TestTunnels.siteToSite().getSpec();
    assertThat(KeyDerivedPair.appliesTo(spec)).isTrue();
    spec.setAddress("");
    assertThat(KeyDerivedPair.appliesTo(spec)).as("empty is not set").isTrue();
    spec.setAddress("100.98.0.0/31");
    assertThat(KeyDerivedPair.appliesTo(spec)).as("spec.address wins").isFalse();
    spec.setAddress(null);
    spec.setEncapsulation(Encapsulation.GRE_OVER_UDP);
    assertThat(KeyDerivedPair.appliesTo(spec)).as("GRE has no keys").isFalse();
    spec.setEncapsulation(Encapsulation.WIREGUARD);
    spec.setType(TunnelType.EGRESS);
    assertThat(KeyDerivedPair.appliesTo(spec)).as("egress: from the pool").isFalse();
    assertThat(KeyDerivedPair.appliesTo(TestTunnels.egressWireGuard().getSpec())).isFalse();
  }
}
