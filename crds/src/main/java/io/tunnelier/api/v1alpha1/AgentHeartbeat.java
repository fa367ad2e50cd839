package io.tunnelier.api.v1alpha1;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The heartbeat Lease (coordination.k8s.io/v1) each agent renews in the agents' namespace, one per
 * node. It says two things:
 *
 * <ul>
 *   <li>While the node is a Tunnel's active or standby gateway (label value {@link #LABEL_VALUE}),
 *       it is renewed every {@code gatewayHeartbeatInterval}; the operator fails a gateway over as
 *       soon as it stops, instead of waiting for the Node to turn NotReady (about 50 s).
 *   <li>Otherwise (label value {@link #IDLE_VALUE}) it is renewed every {@link #IDLE_RENEW_EVERY}:
 *       the agent is alive. This is what the operator and the CLI judge an agent's silence by, so
 *       that an agent does not rewrite every Tunnel's {@code status.nodes[]} entry to show it is
 *       alive: each such write ships the whole Tunnel, with every node's entry, to every agent's
 *       watch (traffic that grows with the cube of the nodes).
 * </ul>
 *
 * <p>The contract between the agent that renews it, the operator and the CLI that read it and the
 * chart's admission policy that lets an agent write only its own node's Lease: name, label and
 * {@code spec.holderIdentity} (the node's name).
 */
public final class AgentHeartbeat {
  /** Label on every heartbeat Lease; the operator watches only Leases with it. */
  public static final String LABEL = "tunnelier.io/agent-heartbeat";

  /** The label's value while the node has a gateway duty (renewed every heartbeat interval). */
  public static final String LABEL_VALUE = "true";

  /** The label's value while it has none: renewed only to show the agent is alive. */
  public static final String IDLE_VALUE = "idle";

  /**
   * How often an agent without a gateway duty renews its Lease: six renewals fit in {@link
   * NodeConditions#SILENT_AFTER}, after which an agent counts as silent.
   */
  public static final java.time.Duration IDLE_RENEW_EVERY = java.time.Duration.ofSeconds(30);

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
