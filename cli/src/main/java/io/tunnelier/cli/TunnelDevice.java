package io.tunnelier.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The names the agents give a Tunnel's devices on a node: {@code tnl-} (the tunnel) and {@code
 * tnlv-} (the VXLAN hop) followed by the first 8 hex digits of SHA-256 of {@code namespace/name}.
 * The same derivation as the agent's {@code io.tunnelier.agent.plan.TunnelId}, copied so that the
 * plugin does not depend on the agent. In the rare case of two Tunnels' suffixes colliding on a
 * node the agent picks another suffix for the younger one; the agent's log lines also name the
 * Tunnel ({@code tunnel=namespace/name}), so {@code logs} still finds them.
 */
public final class TunnelDevice {
  private TunnelDevice() {}

  /** {@code tnl-1a2b3c4d}. */
  public static String deviceName(String namespace, String name) {
    return "tnl-" + hash(namespace + "/" + name);
  }

  /** {@code tnlv-1a2b3c4d}. */
  public static String vxlanName(String namespace, String name) {
    return "tnlv-" + hash(namespace + "/" + name);
  }

  private static String hash(String key) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
