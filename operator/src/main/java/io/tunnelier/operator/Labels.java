package io.tunnelier.operator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** Labels the operator puts on what it creates, and the names it gives them. */
public final class Labels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String OPERATOR = "tunnelier-operator";
  public static final String TUNNEL = "tunnelier.io/tunnel";

  /** On a backup peer's config Secret: the peer's name (a DNS label, so a valid label value). */
  public static final String PEER = "tunnelier.io/peer";

  /** The field manager of every server-side apply the operator does. */
  public static final String FIELD_MANAGER = OPERATOR;

  /** Selects what the operator manages (its informers watch only these). */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;

  private Labels() {}

  /** The labels of a Secret that belongs to a Tunnel. */
  public static Map<String, String> forTunnel(String tunnelName) {
    return Map.of(MANAGED_BY, OPERATOR, TUNNEL, labelValue(tunnelName));
  }

  /** The labels of a backup peer's config Secret. */
  public static Map<String, String> forBackupPeer(String tunnelName, String peerName) {
    return Map.of(MANAGED_BY, OPERATOR, TUNNEL, labelValue(tunnelName), PEER, peerName);
  }

  /**
   * A label value for a name: the name itself when it fits the 63 characters a label value may
   * have, else a prefix and a hash, so it stays unique.
   */
  static String labelValue(String name) {
    if (name.length() <= 63) {
      return name;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      String hash = HexFormat.of().formatHex(digest).substring(0, 10);
      String prefix = name.substring(0, 52).replaceAll("[-.]+$", "");
      return prefix + "-" + hash;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String keysSecretName(String tunnelName) {
    return tunnelName + "-keys";
  }

  public static String peerConfigSecretName(String tunnelName) {
    return tunnelName + "-peer-config";
  }
}
