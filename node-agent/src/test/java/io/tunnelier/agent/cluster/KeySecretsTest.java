package io.tunnelier.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.tunnelier.agent.plan.TunnelKeys;
import io.tunnelier.api.v1alpha1.PeerSpec;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelSpec;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The gateway's keys survive an API server outage; a deleted Secret takes them away. */
class KeySecretsTest {
  static final String PRIVATE = Base64.getEncoder().encodeToString(new byte[32]);
  static final String PEER = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";

  final FakeSecrets api = new FakeSecrets();
  final KeySecrets secrets = new KeySecrets(api);
  final Tunnel tunnel = tunnel();

  static Tunnel tunnel() {
    Tunnel t = new Tunnel();
    t.setMetadata(new ObjectMetaBuilder().withNamespace("scraping").withName("egress").build());
    TunnelSpec spec = new TunnelSpec();
    spec.setPeer(new PeerSpec());
    t.setSpec(spec);
    return t;
  }

  @Test
  void anOutageKeepsTheLastGoodKeysAndSaysSo() {
    api.put("scraping", "egress-keys", Map.of("privateKey", PRIVATE, "peerPublicKey", PEER));
    KeySecrets.Read fresh = secrets.read(tunnel);
    assertThat(fresh.cached()).isFalse();
    assertThat(fresh.keys()).isNotNull();

    api.outage(true);
    KeySecrets.Read during = secrets.read(tunnel);
    assertThat(during.cached()).isTrue();
    assertThat(during.keys()).isEqualTo(fresh.keys());
    assertThat(during.keys().toString()).doesNotContain(PRIVATE);

    api.outage(false);
    KeySecrets.Read after = secrets.read(tunnel);
    assertThat(after.cached()).isFalse();
    assertThat(after.keys()).isEqualTo(fresh.keys());
  }

  @Test
  void keysReadAgainUnchangedAreTheCopyAlreadyInUse() {
    api.put("scraping", "egress-keys", Map.of("privateKey", PRIVATE, "peerPublicKey", PEER));
    TunnelKeys first = secrets.read(tunnel).keys();
    // Not a new copy of the private key per reconcile: the new one was wiped, this one kept.
    assertThat(secrets.read(tunnel).keys()).isSameAs(first);
    assertThat(first.peerPublicKey()).isEqualTo(Base64.getDecoder().decode(PEER));
  }

  @Test
  void keysThatChangedAreTakenOnceTheApiServerAnswers() {
    api.put("scraping", "egress-keys", Map.of("privateKey", PRIVATE, "peerPublicKey", PEER));
    TunnelKeys first = secrets.read(tunnel).keys();
    api.outage(true);
    api.put(
        "scraping",
        "egress-keys",
        Map.of(
            "privateKey",
            Base64.getEncoder()
                .encodeToString(
                    new byte[] {
                      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                      23, 24, 25, 26, 27, 28, 29, 30, 31, 32
                    }),
            "peerPublicKey",
            PEER));
    assertThat(secrets.read(tunnel).keys()).isEqualTo(first);
    api.outage(false);
    assertThat(secrets.read(tunnel).keys()).isNotEqualTo(first);
  }

  @Test
  void aDeletedSecretTakesItsKeysWithIt() {
    api.put("scraping", "egress-keys", Map.of("privateKey", PRIVATE, "peerPublicKey", PEER));
    secrets.read(tunnel);
    api.delete("scraping", "egress-keys");
    assertThat(secrets.read(tunnel)).isEqualTo(new KeySecrets.Read(null, false));
    api.outage(true);
    assertThat(secrets.read(tunnel)).isEqualTo(new KeySecrets.Read(null, false));
  }

  @Test
  void noKeysEverReadMeansNoneDuringAnOutage() {
    api.outage(true);
    assertThat(secrets.read(tunnel)).isEqualTo(new KeySecrets.Read(null, false));
  }

  @Test
  void aTunnelNoLongerServedIsForgotten() {
    api.put("scraping", "egress-keys", Map.of("privateKey", PRIVATE, "peerPublicKey", PEER));
    secrets.read(tunnel);
    secrets.retain(Set.of());
    api.outage(true);
    assertThat(secrets.read(tunnel).keys()).isNull();
  }
}
