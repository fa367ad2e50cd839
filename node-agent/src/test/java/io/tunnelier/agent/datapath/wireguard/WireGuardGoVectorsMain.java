package io.tunnelier.agent.datapath.wireguard;

import io.tunnelier.agent.datapath.wireguard.noise.CookieGenerator;
import io.tunnelier.agent.datapath.wireguard.noise.Handshake;
import io.tunnelier.agent.datapath.wireguard.noise.Keypair;
import io.tunnelier.agent.datapath.wireguard.noise.Messages;
import io.tunnelier.agent.datapath.wireguard.noise.StaticIdentity;
import io.tunnelier.agent.datapath.wireguard.noise.Tai64n;
import io.tunnelier.agent.datapath.wireguard.noise.TransportCipher;
import io.tunnelier.api.keys.X25519Keys;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Records known-answer vectors from a real wireguard-go (how {@link WireGuardGoKnownAnswerTest}'s
 * constants were made). Run inside a namespace where wireguard-go listens on 51820 with the
 * responder key, the initiator as its peer (AllowedIPs 100.64.0.1/32) and 100.64.0.2 on its device:
 * it sends a deterministic initiation (fixed keys, ephemeral, index, timestamp), prints
 * wireguard-go's response, then an ICMP echo request through the new session and wireguard-go's
 * encrypted echo reply. Args: initiator-private responder-public unix-nanos.
 */
public final class WireGuardGoVectorsMain {
  static final byte[] EPHEMERAL =
      HexFormat.of().parseHex("e8c2b5b1a3f0d0c9b8a7968574635241302f1e0d0c0b0a090807060504030241");
  static final int INDEX = 0x01020304;

  private WireGuardGoVectorsMain() {}

  public static void main(String[] args) throws Exception {
    HexFormat hex = HexFormat.of();
    StaticIdentity identity =
        new StaticIdentity(X25519Keys.parse(args[0]), X25519Keys.parse(args[1]), null);
    byte[] timestamp = Tai64n.of(Long.parseLong(args[2]));
    Handshake handshake = new Handshake(identity, b -> Arrays.fill(b, (byte) 1));
    byte[] initiation = new byte[Messages.INITIATION_SIZE];
    handshake.createInitiation(initiation, 0, INDEX, timestamp, EPHEMERAL);
    new CookieGenerator(X25519Keys.parse(args[1])).addMacs(initiation, 0, initiation.length, 0);
    System.out.println("initiation=" + hex.formatHex(initiation));

    try (DatagramSocket socket = new DatagramSocket(40000, InetAddress.getLoopbackAddress())) {
      socket.setSoTimeout(5000);
      InetSocketAddress wg = new InetSocketAddress(InetAddress.getLoopbackAddress(), 51820);
      socket.send(new DatagramPacket(initiation, initiation.length, wg));
      byte[] buf = new byte[2048];
      DatagramPacket packet = new DatagramPacket(buf, buf.length);
      socket.receive(packet);
      byte[] response = Arrays.copyOf(buf, packet.getLength());
      System.out.println("response=" + hex.formatHex(response));
      if (!handshake.consumeResponse(response, 0)) {
        throw new IllegalStateException("response refused: " + handshake.lastFailure());
      }
      Keypair keypair = handshake.beginSession(0);
      byte[] ping =
          EchoDevice.echoRequest(new byte[] {100, 64, 0, 1}, new byte[] {100, 64, 0, 2}, 1);
      byte[] message = new byte[16 + ping.length + 32];
      System.arraycopy(ping, 0, message, 16, ping.length);
      Messages.putType(message, 0, Messages.TYPE_TRANSPORT);
      Messages.putInt(message, 4, keypair.remoteIndex());
      int padded = (ping.length + 15) & ~15;
      int sealed = new TransportCipher().seal(keypair.sendKey(), 0, message, 16, padded);
      socket.send(new DatagramPacket(message, 16 + sealed, wg));
      packet = new DatagramPacket(buf, buf.length);
      socket.receive(packet);
      System.out.println("reply=" + hex.formatHex(Arrays.copyOf(buf, packet.getLength())));
    }
  }
}
