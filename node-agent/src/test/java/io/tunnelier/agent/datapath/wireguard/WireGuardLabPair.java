package io.tunnelier.agent.datapath.wireguard;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.net.InNetns;
import io.tunnelier.agent.datapath.wireguard.noise.Entropy;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.api.keys.X25519Keys;
import java.net.InetSocketAddress;

/**
 * The userspace WireGuard datapath on both ends of a lab link, in this JVM: "node" (192.0.2.1,
 * inner 100.64.0.1, keepalive 1 s) connects to "vps" (192.0.2.2:51820, inner 100.64.0.2, learns its
 * peer), both devices {@code tnl0}. The caller builds the namespaces and the veth between them.
 */
public record WireGuardLabPair(Datapath node, Datapath vps, byte[] vpsPublicKey)
    implements AutoCloseable {
  public static WireGuardLabPair open(Netns node, Netns vps) throws Exception {
    byte[] vpsKey = X25519Keys.generatePrivate(Entropy.secure()::nextBytes);
    byte[] nodeKey = X25519Keys.generatePrivate(Entropy.secure()::nextBytes);
    byte[] vpsPublic = X25519Keys.publicKey(vpsKey);
    WireGuardDatapathFactory factory =
        new WireGuardDatapathFactory(
            WireGuardDatapathFactory.Mode.USERSPACE, true, WireGuardDatapath.Options.defaults());
    Datapath v =
        InNetns.call(
            vps,
            () ->
                factory.open(
                    new DatapathConfig.WireGuard(
                        "tnl0", 0, vpsKey, X25519Keys.publicKey(nodeKey), null, 51820, null, 0)));
    try {
      Datapath n =
          InNetns.call(
              node,
              () ->
                  factory.open(
                      new DatapathConfig.WireGuard(
                          "tnl0",
                          0,
                          nodeKey,
                          vpsPublic,
                          null,
                          0,
                          new InetSocketAddress("192.0.2.2", 51820),
                          1)));
      vps.ip("addr add 100.64.0.2/30 dev tnl0");
      node.ip("addr add 100.64.0.1/30 dev tnl0");
      return new WireGuardLabPair(n, v, vpsPublic);
    } catch (Exception | Error e) {
      v.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      node.close();
    } finally {
      vps.close();
    }
  }
}
