package io.tunnelier.cli;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Picks the far end's config out of the {@code <name>-peer-config} Secret's data: {@code peer.yaml}
 * (the standalone agent: {@code node-agent standalone --config peer.yaml}) or {@code wg0.conf}
 * (stock WireGuard, {@code wg-quick up}). Those are what the operator renders for the far end
 * (operator PeerConfigRenderer); the cluster side's private key is in {@code <name>-keys}, which
 * the plugin never reads.
 */
public final class PeerConfigFile {
  public static final String PEER_YAML = "peer.yaml";
  public static final String WG_QUICK = "wg0.conf";

  private PeerConfigFile() {}

  /**
   * @param data the Secret's data (base64 values)
   * @param format {@code peer.yaml} or {@code wg0.conf} (also {@code standalone}, {@code wg})
   * @throws IllegalArgumentException naming the keys there are when the format is not among them
   */
  public static String select(String secretName, Map<String, String> data, String format) {
    String key =
        switch (format) {
          case PEER_YAML, "standalone", "yaml" -> PEER_YAML;
          case WG_QUICK, "wg", "wireguard", "wg-quick" -> WG_QUICK;
          default ->
              throw new IllegalArgumentException(
                  "unknown format " + format + ": use peer.yaml or wg0.conf");
        };
    if (data == null || !data.containsKey(key)) {
      throw new IllegalArgumentException(
          "Secret "
              + secretName
              + " has no "
              + key
              + (data == null ? "" : " (it holds " + String.join(", ", data.keySet()) + ")")
              + (key.equals(WG_QUICK) ? "; wg0.conf exists for WireGuard Tunnels only" : ""));
    }
    return new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
  }
}
