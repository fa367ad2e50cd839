package io.tunnelier.operator.status;

import io.tunnelier.api.v1alpha1.NodeConditions;

/**
 * The condition types and reasons the operator writes in {@code status.conditions}. Every reason is
 * documented, with what to do about it, in docs/status.md.
 */
public final class TunnelConditions {
  public static final String READY = "Ready";
  public static final String DEGRADED = "Degraded";
  public static final String PROGRESSING = "Progressing";

  /** Ready: the active gateway's agent reaches the peer through the tunnel. */
  public static final String PEER_REACHABLE = "PeerReachable";

  /** No Ready node matches spec.gateway.nodeSelector. */
  public static final String NO_GATEWAY_CANDIDATE = "NoGatewayCandidate";

  /** Every /31 of the operator's address pool is taken. */
  public static final String ADDRESS_POOL_EXHAUSTED = "AddressPoolExhausted";

  /** spec.address is used by another Tunnel. */
  public static final String ADDRESS_CONFLICT = "AddressConflict";

  /** spec.address cannot be used as a tunnel address (a /32, a network address). */
  public static final String ADDRESS_INVALID = "AddressInvalid";

  /**
   * WireGuard site-to-site without spec.address: the addresses derive from both public keys, and
   * spec.peer.publicKey is empty (or this end's own key).
   */
  public static final String PEER_PUBLIC_KEY_MISSING = "PeerPublicKeyMissing";

  /** The pair derived from both public keys overlaps another Tunnel's addresses. */
  public static final String DERIVED_ADDRESS_CONFLICT = "DerivedAddressConflict";

  /** The addresses derive from both public keys, and this end's keys Secret is being created. */
  public static final String WAITING_FOR_KEYS = "WaitingForKeys";

  /** The agent on the active gateway has not reported the tunnel up yet. */
  public static final String WAITING_FOR_AGENTS = "WaitingForAgents";

  /** The active gateway's agent reports the tunnel device down. */
  public static final String LINK_DOWN = "LinkDown";

  /** datapath: Kernel, and the gateway node lacks the GRE/WireGuard kernel module. */
  public static final String KERNEL_MODULE_MISSING = NodeConditions.KERNEL_MODULE_MISSING;

  /** The active gateway's agent could not program routes or rules. */
  public static final String ROUTES_NOT_PROGRAMMED = "RoutesNotProgrammed";

  /** The active gateway's agent could not program its nftables rules. */
  public static final String NAT_NOT_PROGRAMMED = "NATNotProgrammed";

  /** The tunnel is up on the gateway but the peer does not answer through it. */
  public static final String PEER_UNREACHABLE = "PeerUnreachable";

  /**
   * Ready False, with backupPeers: the gateway finds no peer healthy (each probed through its own
   * tunnel); the kill switch holds the selected pods' traffic.
   */
  public static final String NO_HEALTHY_PEER = "NoHealthyPeer";

  /**
   * Degraded True, with backupPeers: the primary (and any backup before the one in use) is
   * unhealthy, and traffic leaves through a backup VPS, with its public address.
   */
  public static final String ON_BACKUP_PEER = "OnBackupPeer";

  /** The active gateway's agent has not been heard from for {@link AgentSilence#AFTER}. */
  public static final String AGENT_SILENT = "AgentSilent";

  /** Progressing: the active gateway reports the tunnel down and will be moved at a deadline. */
  public static final String FAILOVER_PENDING = "FailoverPending";

  /** Degraded: a node other than the active gateway reports a problem. */
  public static final String NODE_PROBLEM = "NodeProblem";

  /**
   * spec.siteToSite.remoteCIDRs overlap, spec.egress.destinations lie inside, or spec.address is in
   * one of this cluster's ranges (pod, service, node addresses): refused, no gateway.
   */
  public static final String CLUSTER_RANGE_OVERLAP = "ClusterRangeOverlap";

  /**
   * An older GRE or GREoverUDP Tunnel whose gateway may be on the same node uses the same GRE key
   * (or both have none): refused, no gateway.
   */
  public static final String GRE_KEY_CONFLICT = "GreKeyConflict";

  /** The keys Secret holds a private key that is not 32 bytes of base64. */
  public static final String INVALID_KEYS = "InvalidKeys";

  /** An unexpected error while reconciling (API server, permissions...). */
  public static final String RECONCILE_ERROR = "ReconcileError";

  /** The Tunnel is being deleted; agents are removing its state. */
  public static final String DELETING = "Deleting";

  /** Degraded False: nothing is wrong. */
  public static final String AS_EXPECTED = "AsExpected";

  /** Progressing False: the operator and the agents have done everything asked of them. */
  public static final String RECONCILED = "Reconciled";

  private TunnelConditions() {}
}
