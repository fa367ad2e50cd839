package io.tunnelier.api.v1alpha1;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The heartbeat Lease (coordination.k8s.io/v1) an agent renews while its node is a Tunnel's active
 * or standby gateway, in the agents' namespace; the operator fails a gateway over as soon as its
 * heartbeat stops, instead of waiting for the Node to turn NotReady (about 50 s). The contract
 * between the agent that renews it, the operator that watches it and the chart's admission policy
 * that lets an agent write only its own node's Lease: name, label and {@code spec.holderIdentity}
 * (the node's name).
 */
public final class AgentHeartbeat {
  /** Label on every heartbeat Lease; the operator watches only Leases with it. */
  public static final String LABEL = "tunnelier.io/agent-heartbeat";

  public static final String LABEL_VALUE = "true";

  /** The prefix of every heartbeat Lease's name. */
  public static final String NAME_PREFIX = "tunnelier-agent-";

  private static final int MAX_NAME = 253;

  private AgentHeartbeat() {}

  /**
   * The Lease's name for a node: the prefix and the node's name (both DNS subdomains), or, for a
   * node name too long for that, the prefix and a digest of it.
   */
  public static String leaseName(String node) {
    String name = NAME_PREFIX + node;
    if (name.length() <= MAX_NAME) {
      return name;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(node.getBytes(StandardCharsets.UTF_8));
      return NAME_PREFIX + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
