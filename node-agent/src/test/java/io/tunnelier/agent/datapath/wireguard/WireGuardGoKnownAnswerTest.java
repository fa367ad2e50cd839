package io.tunnelier.agent.datapath.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.wireguard.noise.CookieChecker;
import io.tunnelier.agent.datapath.wireguard.noise.CookieGenerator;
import io.tunnelier.agent.datapath.wireguard.noise.Handshake;
import io.tunnelier.agent.datapath.wireguard.noise.Keypair;
import io.tunnelier.agent.datapath.wireguard.noise.Messages;
import io.tunnelier.agent.datapath.wireguard.noise.StaticIdentity;
import io.tunnelier.agent.datapath.wireguard.noise.Tai64n;
import io.tunnelier.agent.datapath.wireguard.noise.TransportCipher;
import io.tunnelier.api.keys.X25519Keys;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Known answers recorded from a real wireguard-go (Debian's 0.0.20220316) on the wire: no published
 * handshake vectors exist, so these were made by running it (see {@link WireGuardGoVectorsMain} for
 * the initiator side; the first vector is an initiation wireguard-go itself sent, captured with a
 * UDP listener). The keys are throwaway test keys.
 */
class WireGuardGoKnownAnswerTest {
  private static final HexFormat HEX = HexFormat.of();
  static final String INITIATOR_PRIVATE = "4KbDQE+YwuucAoPMjf5ykBo2MhJi7TZ4T/c2n8JKplU=";
  static final String RESPONDER_PRIVATE = "KDauRlaGWyxBsWZ8es1G91OQ8ZT2BwjQrV2G+voUVXg=";
  static final String INITIATOR_PUBLIC = "LAUnwTfBAHvM0PzR3EoQfzf9ZnVhbhlyJkt5ZmLLPnc=";
  static final String RESPONDER_PUBLIC = "yxm0k8FIrxY5NmBhgP3FStOUqQoCggHcMm0QYrsHfUU=";

  /** An initiation wireguard-go (key INITIATOR_PRIVATE) sent to RESPONDER_PUBLIC. */
  static final String WIREGUARD_GO_INITIATION =
      "01000000aa3290e1cbb883bf88ee428e338440ec494f110ff1a54302162832e2882454caf9ef8f49548ae5c6"
          + "59156a106163a997a2d74beb1b58485b4c6eedf7ae693dd3c43a17d875c829a68769ffb11d4c0320ea37"
          + "268e06476b13f4326d6994db371c52a8385b12d9516212e8e6d872316f67b4c5cbf84c3c15fbc4ab0741"
          + "4da7b6a200000000000000000000000000000000";

  /**
   * Our deterministic initiation (ephemeral, index, timestamp fixed) that wireguard-go accepted.
   */
  static final long TIMESTAMP_UNIX_NANOS = 1795318436841806242L;

  static final String OUR_INITIATION =
      "01000000040302011b5d919cdd1f5717110956bd9d5647cd8d1263e3aca5b3f1bf2743e6ccefa3653bca24ca"
          + "ee0df9e481a4b2f8f65347d3141f8996c60254119e614e6a504d78e3a5abacc67638075c0d9c62c8d55c"
          + "3bd9680a6ac5953c1b40cbad4524ad63ea7f47afce912d5cd8dd780019a6419b56ee4e308c7e849437fd"
          + "b1c038af00000000000000000000000000000000";

  /** wireguard-go's response to it. */
  static final String WIREGUARD_GO_RESPONSE =
      "02000000671ac854040302015adb5038868b1dfd9a5f09aa225b698a39ddc50dc454ef5d981898305556eb11"
          + "ba71a59d0ce08923a341aef4c0e8bab21d2e66bb3d0284b9409e2222c045e3050000000000000000000000"
          + "0000000000";

  /** wireguard-go's transport message carrying the kernel's echo reply to our echo request. */
  static final String WIREGUARD_GO_ECHO_REPLY =
      "04000000040302010000000000000000840592c589d03813c75bbedc448c8468ba97688bb47bfd5b400e6363"
          + "a4dcdcf47ad7bed06f789c5fcc41f1b9918b7b83b162051ed8056e91e248f4a9a970cbed966cd849df0f"
          + "ac9f1780e5f3fd422caac56d4f7bb1549a7115cc7ba62108d14f2fb658514c578e479c1478b3ab3549fd";

  @Test
  void keysMatchWgPubkey() {
    assertThat(X25519Keys.format(X25519Keys.publicKey(X25519Keys.parse(INITIATOR_PRIVATE))))
        .isEqualTo(INITIATOR_PUBLIC);
    assertThat(X25519Keys.format(X25519Keys.publicKey(X25519Keys.parse(RESPONDER_PRIVATE))))
        .isEqualTo(RESPONDER_PUBLIC);
  }

  @Test
  void responderAcceptsAnInitiationWireguardGoSent() {
    byte[] msg = HEX.parseHex(WIREGUARD_GO_INITIATION);
    assertThat(
            new CookieChecker(X25519Keys.parse(RESPONDER_PUBLIC), b -> {}).checkMac1(msg, 0, 148))
        .isTrue();
    Handshake responder =
        new Handshake(
            new StaticIdentity(
                X25519Keys.parse(RESPONDER_PRIVATE), X25519Keys.parse(INITIATOR_PUBLIC), null),
            b -> {});
    assertThat(responder.consumeInitiation(msg, 0, 0)).isTrue();
    byte[] response = new byte[Messages.RESPONSE_SIZE];
    assertThat(responder.createResponse(response, 0, 7, null)).isTrue();
    assertThat(Messages.getInt(response, Messages.RESPONSE_RECEIVER))
        .isEqualTo(Messages.getInt(msg, Messages.INITIATION_SENDER));
  }

  @Test
  void initiatorBytesAreReproducibleAndWireguardGosResponseAndDataDecrypt() {
    Handshake initiator =
        new Handshake(
            new StaticIdentity(
                X25519Keys.parse(INITIATOR_PRIVATE), X25519Keys.parse(RESPONDER_PUBLIC), null),
            b -> {});
    byte[] initiation = new byte[Messages.INITIATION_SIZE];
    initiator.createInitiation(
        initiation,
        0,
        WireGuardGoVectorsMain.INDEX,
        Tai64n.of(TIMESTAMP_UNIX_NANOS),
        WireGuardGoVectorsMain.EPHEMERAL);
    new CookieGenerator(X25519Keys.parse(RESPONDER_PUBLIC)).addMacs(initiation, 0, 148, 0);
    assertThat(HEX.formatHex(initiation)).isEqualTo(OUR_INITIATION);

    assertThat(initiator.consumeResponse(HEX.parseHex(WIREGUARD_GO_RESPONSE), 0)).isTrue();
    Keypair keypair = initiator.beginSession(0);
    assertThat(keypair.remoteIndex()).isEqualTo(0x54c81a67);

    for (TransportCipher.Provider provider : TransportCipher.Provider.values()) {
      byte[] reply = HEX.parseHex(WIREGUARD_GO_ECHO_REPLY);
      assertThat(Messages.getInt(reply, Messages.TRANSPORT_RECEIVER))
          .isEqualTo(keypair.localIndex());
      int plain =
          new TransportCipher(provider).open(keypair.receiveKey(), 0, reply, 16, reply.length - 16);
      assertThat(plain).as(provider.name()).isEqualTo(96);
      // IPv4 ICMP echo reply (type 0) from 100.64.0.2 to 100.64.0.1, sequence 1, 84 bytes.
      assertThat(reply[16]).isEqualTo((byte) 0x45);
      assertThat(((reply[18] & 0xff) << 8) | (reply[19] & 0xff)).isEqualTo(84);
      assertThat(reply[16 + 9]).isEqualTo((byte) 1);
      assertThat(HEX.formatHex(reply, 16 + 12, 16 + 20)).isEqualTo("6440000264400001");
      assertThat(reply[16 + 20]).isZero();
      assertThat(reply[16 + 27]).isEqualTo((byte) 1);
    }
  }
}
