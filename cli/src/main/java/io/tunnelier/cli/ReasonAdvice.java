package io.tunnelier.cli;

import java.util.Map;

/**
 * What to do about a reason of the Tunnel's conditions or Events: the "what to do" column of
 * docs/status.md, shortened. Reasons not listed get a pointer to that page.
 */
final class ReasonAdvice {
  private static final Map<String, String> TODO =
      Map.ofEntries(
          Map.entry(
              "WaitingForAgents",
              "if it lasts, check that the agent runs on the gateway node and read its log"),
          Map.entry(
              "NoGatewayCandidate",
              "label a node (kubectl label node <node> <key>=<value>), fix"
                  + " spec.gateway.nodeSelector, or bring the matching nodes back"),
          Map.entry(
              "AddressPoolExhausted",
              "delete unused Tunnels, set a free spec.address, or widen the operator's"
                  + " addressPool"),
          Map.entry("AddressConflict", "choose another spec.address, or leave it empty"),
          Map.entry("AddressInvalid", "use one end of a /31, e.g. 100.96.0.2/31"),
          Map.entry(
              "PeerPublicKeyMissing",
              "put the other cluster's status.publicKey into spec.peer.publicKey, and this"
                  + " Tunnel's status.publicKey into the other's"),
          Map.entry(
              "DerivedAddressConflict", "set spec.address on both sides to a free /31's ends"),
          Map.entry("LinkDown", "read the agent's log on the gateway node"),
          Map.entry(
              "KernelModuleMissing", "set datapath: Auto, or load the module on the gateway nodes"),
          Map.entry(
              "RoutesNotProgrammed",
              "read the agent's log; another component may own the routing table or rule"
                  + " priority"),
          Map.entry(
              "NATNotProgrammed", "read the agent's log; check that nftables works on the node"),
          Map.entry(
              "PeerUnreachable",
              "check the far end: running with the peer config, its port open, spec.peer.endpoint"
                  + " right"),
          Map.entry(
              "AgentSilent",
              "check the agent pod on the gateway node, its log, and that the node reaches the"
                  + " API server"),
          Map.entry("FailoverPending", "nothing, or fix the gateway before the failover"),
          Map.entry("NodeProblem", "read the agent's log on the named nodes"),
          Map.entry(
              "InvalidKeys",
              "restore the Secret, or delete it to generate a new keypair (the far end then"
                  + " needs the new peer config)"),
          Map.entry("ReconcileError", "read the operator's log; check its RBAC"),
          Map.entry("GatewayFailover", "read the event: why the gateway moved"),
          Map.entry("GatewayLost", "label a node as a gateway candidate or bring one back"),
          Map.entry("CleanupTimedOut", "check the named nodes for leftovers"));

  private ReasonAdvice() {}

  static String forReason(String reason) {
    return TODO.getOrDefault(reason, "see docs/status.md for reason " + reason);
  }
}
