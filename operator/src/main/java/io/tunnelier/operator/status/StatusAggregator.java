package io.tunnelier.operator.status;

import static io.tunnelier.operator.status.TunnelConditions.*;

import io.fabric8.kubernetes.api.model.Condition;
import io.tunnelier.api.peerconfig.TunnelPeers;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.NodeConditions;
import io.tunnelier.api.v1alpha1.NodeRole;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.api.v1alpha1.TunnelType;
import io.tunnelier.operator.address.Assignment;
import io.tunnelier.operator.gateway.Election;
import io.tunnelier.operator.gateway.NodeReadiness;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Computes the operator's part of a Tunnel's status (everything but {@code nodes[]}, which the
 * agents own) from the reconcile's results and the agents' entries. Pure.
 *
 * <p>Ready says whether traffic flows; Degraded whether something needs a person (with Ready's
 * reason when that is what is broken); Progressing whether the operator or the agents are still
 * working toward the spec. Reasons and what to do about each: docs/status.md.
 */
public final class StatusAggregator {
  private StatusAggregator() {}

  /** The three conditions before merging (no transition times). */
  public record Verdict(Condition ready, Condition degraded, Condition progressing) {
    List<Condition> asList() {
      return List.of(ready, degraded, progressing);
    }
  }

  /** The status of a Tunnel that is not being deleted. */
  public static TunnelStatus aggregate(StatusInputs in) {
    Tunnel tunnel = in.tunnel();
    TunnelStatus previous = Optional.ofNullable(tunnel.getStatus()).orElseGet(TunnelStatus::new);
    TunnelStatus status = new TunnelStatus();
    status.setObservedGeneration(tunnel.getMetadata().getGeneration());
    in.assignment()
        .assigned()
        .ifPresent(
            pair -> {
              status.setTunnelAddress(pair.local().toString());
              status.setPeerAddress(pair.peer().toString());
            });
    status.setPublicKey(in.publicKey());
    status.setActiveGateway(in.election().active());
    status.setStandbyGateways(
        in.election().standby().isEmpty() ? null : new ArrayList<>(in.election().standby()));

    Optional<NodeStatus> gateway = activeEntry(previous.getNodes(), in.election().active());
    gateway.ifPresent(
        g -> {
          status.setPeer(PeerMeasurements.peer(g).orElse(null));
          status.setDetour(PeerMeasurements.detour(g).orElse(null));
          status.setMtu(g.getMtu());
        });
    status.setSelectedPods(in.selectedPods());
    if (TunnelPeers.hasBackups(tunnel)) {
      status.setPeerPaths(
          PeerPaths.of(
              tunnel,
              in.assignment(),
              in.backupAssignments(),
              gateway.map(NodeStatus::getPeerPaths).orElse(null)));
      status.setActivePeer(gateway.map(NodeStatus::getActivePeer).orElse(null));
      status.setLastPeerSwitch(
          PeerSwitches.newer(
              previous.getLastPeerSwitch(),
              gateway.map(NodeStatus::getLastPeerSwitch).orElse(null)));
    }
    if (status.getMtu() == null
        && tunnel.getSpec().getMtu() != null
        && tunnel.getSpec().getMtu() > 0) {
      status.setMtu(tunnel.getSpec().getMtu());
    }

    Verdict verdict = assess(in, gateway);
    status.setConditions(
        Conditions.merge(
            previous.getConditions(),
            verdict.asList(),
            in.now(),
            tunnel.getMetadata().getGeneration()));
    return status;
  }

  /**
   * The status while the Tunnel is being deleted: everything else kept, the conditions saying what
   * the cleanup waits for.
   */
  public static TunnelStatus deleting(Tunnel tunnel, List<String> waitingFor, Instant now) {
    String message =
        waitingFor.isEmpty()
            ? "every agent has removed the tunnel's state"
            : "waiting for the agents on " + String.join(", ", waitingFor) + " to remove its state";
    return withConditions(
        tunnel,
        new Verdict(
            Conditions.of(READY, false, DELETING, "the Tunnel is being deleted: " + message),
            Conditions.of(DEGRADED, false, AS_EXPECTED, "nothing is wrong"),
            Conditions.of(PROGRESSING, true, DELETING, message)),
        now);
  }

  /**
   * The status after a reconcile failed: the last known addresses, keys and gateway kept, the
   * conditions saying what failed.
   */
  public static TunnelStatus failed(Tunnel tunnel, String reason, String message, Instant now) {
    return withConditions(
        tunnel,
        new Verdict(
            Conditions.of(READY, false, reason, message),
            Conditions.of(DEGRADED, true, reason, message),
            Conditions.of(PROGRESSING, false, reason, message)),
        now);
  }

  /**
   * The status of a Tunnel the operator refuses (SpecRefusals): no gateway, so that no agent
   * programs it; addresses kept, since they are no one else's to take; the conditions saying what
   * to change.
   */
  public static TunnelStatus refused(Tunnel tunnel, String reason, String message, Instant now) {
    TunnelStatus status = failed(tunnel, reason, message, now);
    status.setActiveGateway(null);
    status.setStandbyGateways(null);
    // Measured through a gateway it no longer has: stale.
    status.setPeer(null);
    status.setDetour(null);
    status.setActivePeer(null);
    if (status.getPeerPaths() != null) {
      // The backups' addresses stay recorded (they are still the Tunnel's); their health goes.
      status.setPeerPaths(
          status.getPeerPaths().stream()
              .map(
                  p -> {
                    PeerPathStatus kept = new PeerPathStatus();
                    kept.setName(p.getName());
                    kept.setTunnelAddress(p.getTunnelAddress());
                    kept.setPeerAddress(p.getPeerAddress());
                    return kept;
                  })
              .toList());
    }
    return status;
  }

  /** The operator's part of the current status with the verdict's conditions. */
  static TunnelStatus withConditions(Tunnel tunnel, Verdict verdict, Instant now) {
    TunnelStatus status = StatusComparison.operatorPart(tunnel.getStatus());
    status.setObservedGeneration(tunnel.getMetadata().getGeneration());
    List<Condition> previous =
        tunnel.getStatus() == null ? null : tunnel.getStatus().getConditions();
    status.setConditions(
        Conditions.merge(previous, verdict.asList(), now, tunnel.getMetadata().getGeneration()));
    return status;
  }

  static Verdict assess(StatusInputs in, Optional<NodeStatus> gateway) {
    Tunnel tunnel = in.tunnel();
    Assignment assignment = in.assignment();
    if (assignment instanceof Assignment.PoolExhausted exhausted) {
      return blocked(
          ADDRESS_POOL_EXHAUSTED,
          "no free /31 left in the address pool "
              + exhausted.pool()
              + ": delete unused Tunnels, set spec.address to a free address outside the pool, or"
              + " widen addressPool in the operator configuration");
    }
    if (assignment instanceof Assignment.Conflict conflict) {
      return blocked(
          ADDRESS_CONFLICT,
          "spec.address "
              + conflict.address()
              + " is already used by Tunnel "
              + conflict.otherTunnel()
              + ": "
              + addressConflictAdvice(tunnel));
    }
    if (assignment instanceof Assignment.Invalid invalid) {
      return blocked(ADDRESS_INVALID, invalid.message());
    }
    if (assignment instanceof Assignment.PeerPublicKeyMissing missing) {
      return blocked(PEER_PUBLIC_KEY_MISSING, peerPublicKeyMissingMessage(tunnel, missing));
    }
    if (assignment instanceof Assignment.DerivedConflict conflict) {
      return blocked(
          DERIVED_ADDRESS_CONFLICT,
          "the inner addresses derived from the two public keys, "
              + conflict.pair().local()
              + " (this end) and "
              + conflict.pair().peer()
              + " (the peer), are already used by Tunnel "
              + conflict.otherTunnel()
              + ": set spec.address on both sides instead, here one address of a /31 that no"
              + " Tunnel uses in either cluster (best outside both operators' address pools), on"
              + " the other cluster's Tunnel the other address of that /31");
    }
    if (assignment instanceof Assignment.WaitingForKeys) {
      String message =
          "creating this end's keys Secret "
              + tunnel.getMetadata().getName()
              + "-keys; the inner addresses are derived from its public key and"
              + " spec.peer.publicKey";
      return new Verdict(
          Conditions.of(READY, false, WAITING_FOR_KEYS, message),
          Conditions.of(DEGRADED, false, AS_EXPECTED, "nothing is wrong"),
          Conditions.of(PROGRESSING, true, WAITING_FOR_KEYS, message));
    }

    Election election = in.election();
    if (election.active() == null) {
      return blocked(NO_GATEWAY_CANDIDATE, noCandidateMessage(tunnel, in.candidates()));
    }
    String node = election.active();
    Optional<Condition> nodeProblem =
        nodeProblem(tunnel.getStatus(), node, in.leaseRenewals(), in.now());

    if (gateway.isEmpty() || gateway.get().getRole() != NodeRole.GATEWAY) {
      String message =
          "waiting for the agent on "
              + node
              + " to set up the tunnel as its gateway (is the tunnelier-node-agent DaemonSet"
              + " running there?)";
      return new Verdict(
          Conditions.of(READY, false, WAITING_FOR_AGENTS, message),
          degraded(in, gateway, nodeProblem),
          Conditions.of(PROGRESSING, true, WAITING_FOR_AGENTS, message));
    }

    Optional<Instant> silentSince =
        AgentSilence.lastHeard(gateway.get(), in.leaseRenewals(), in.now());
    if (silentSince.isPresent()) {
      // Its last report says nothing about now: the tunnel may be gone with the agent.
      String message =
          "the agent on gateway "
              + node
              + " has not reported since "
              + silentSince.get()
              + " (a live agent is heard from at least once a minute): is the tunnelier-node-agent pod on "
              + node
              + " running, and can it reach the API server? kubectl get pods -A -o wide"
              + " --field-selector spec.nodeName="
              + node
              + (election.standby().isEmpty()
                  ? "; no other Ready gateway candidate to move to"
                  : "");
      return new Verdict(
          Conditions.of(READY, false, AGENT_SILENT, message),
          Conditions.of(DEGRADED, true, AGENT_SILENT, message),
          Conditions.of(PROGRESSING, false, AGENT_SILENT, message));
    }
    List<Condition> reported =
        gateway.get().getConditions() == null ? List.of() : gateway.get().getConditions();
    // The gateway's own setup first, then whether any peer is healthy, then the peer in use.
    Optional<Verdict> broken =
        gatewayProblem(tunnel, node, reported, election, SETUP_CHECKS)
            .or(
                () ->
                    BackupPeerVerdicts.noHealthyPeer(tunnel, node, gateway.get())
                        .map(
                            message ->
                                new Verdict(
                                    Conditions.of(READY, false, NO_HEALTHY_PEER, message),
                                    Conditions.of(DEGRADED, true, NO_HEALTHY_PEER, message),
                                    progressing(election, NO_HEALTHY_PEER, message))))
            .or(() -> gatewayProblem(tunnel, node, reported, election, PEER_CHECKS));
    if (broken.isPresent()) {
      return broken.get();
    }
    if (!Conditions.isTrue(reported, NodeConditions.PEER_REACHABLE)) {
      String message =
          "the tunnel is up on " + node + "; waiting for the peer to answer through it";
      return new Verdict(
          Conditions.of(READY, false, WAITING_FOR_AGENTS, message),
          degraded(in, gateway, nodeProblem),
          Conditions.of(PROGRESSING, true, WAITING_FOR_AGENTS, message));
    }
    String ready =
        "the peer answers through the tunnel from gateway "
            + node
            + (election.standby().isEmpty()
                ? " (no standby gateway)"
                : "; standby: " + String.join(", ", election.standby()));
    return new Verdict(
        Conditions.of(READY, true, PEER_REACHABLE, ready),
        degraded(in, gateway, nodeProblem),
        Conditions.of(PROGRESSING, false, RECONCILED, "the gateway and the agents match the spec"));
  }

  /** How to get out of an {@code AddressConflict}: where an empty spec.address leads. */
  private static String addressConflictAdvice(Tunnel tunnel) {
    if (tunnel.getSpec().getType() != TunnelType.SITE_TO_SITE) {
      return "choose another address, or leave spec.address empty to get one from the pool";
    }
    String both = "choose another /31 and set its other address on the other cluster's Tunnel";
    return tunnel.getSpec().getEncapsulation() == Encapsulation.WIREGUARD
        ? both
            + ", or leave spec.address empty on both sides to derive the pair from the public keys"
        : both;
  }

  /** What to do when a site-to-site Tunnel cannot derive its addresses for want of the peer key. */
  static String peerPublicKeyMissingMessage(
      Tunnel tunnel, Assignment.PeerPublicKeyMissing missing) {
    String name = tunnel.getMetadata().getName();
    String problem =
        missing.ownKey()
            ? "spec.peer.publicKey holds this Tunnel's own public key (its status.publicKey), not"
                + " the other cluster's"
            : "spec.peer.publicKey is empty";
    return "a WireGuard site-to-site Tunnel derives its inner addresses from both ends' public"
        + " keys, and "
        + problem
        + ": put the other cluster's Tunnel's status.publicKey into spec.peer.publicKey here, and"
        + " this Tunnel's status.publicKey (kubectl -n "
        + tunnel.getMetadata().getNamespace()
        + " get tunnel "
        + name
        + " -o jsonpath='{.status.publicKey}') into spec.peer.publicKey there";
  }

  /** The first False condition the gateway's agent reports, as a verdict. */
  private static Optional<Verdict> gatewayProblem(
      Tunnel tunnel, String node, List<Condition> reported, Election election, String[][] checks) {
    for (String[] check : checks) {
      Optional<Condition> c = Conditions.find(reported, check[0]);
      if (c.isPresent() && "False".equals(c.get().getStatus())) {
        String reason =
            KERNEL_MODULE_MISSING.equals(c.get().getReason()) ? KERNEL_MODULE_MISSING : check[1];
        String message =
            "gateway "
                + node
                + " reports "
                + check[0]
                + "=False"
                + (c.get().getReason() == null ? "" : " (" + c.get().getReason() + ")")
                + (c.get().getMessage() == null ? "" : ": " + c.get().getMessage())
                + (PEER_UNREACHABLE.equals(reason) ? peerUnreachableHint(tunnel) : "");
        return Optional.of(
            new Verdict(
                Conditions.of(READY, false, reason, message),
                Conditions.of(DEGRADED, true, reason, message),
                progressing(election, reason, message)));
      }
    }
    return Optional.empty();
  }

  /** What the gateway's agent must have set up, checked in this order. */
  private static final String[][] SETUP_CHECKS = {
    {NodeConditions.LINK_UP, LINK_DOWN},
    {NodeConditions.ROUTES_PROGRAMMED, ROUTES_NOT_PROGRAMMED},
    {NodeConditions.NAT_PROGRAMMED, NAT_NOT_PROGRAMMED},
  };

  /** Whether the peer in use answers. */
  private static final String[][] PEER_CHECKS = {
    {NodeConditions.PEER_REACHABLE, PEER_UNREACHABLE},
  };

  /** Progressing for a broken tunnel: a pending gateway move, else nothing under way. */
  private static Condition progressing(Election election, String reason, String message) {
    return election.recheckAfter().isPresent() && !election.standby().isEmpty()
        ? Conditions.of(
            PROGRESSING,
            true,
            FAILOVER_PENDING,
            "the gateway moves to "
                + election.standby().get(0)
                + " if the tunnel is still down in "
                + election.recheckAfter().get().toSeconds()
                + "s")
        : Conditions.of(PROGRESSING, false, reason, message);
  }

  /**
   * Degraded for a Tunnel that is up or on its way: a backup peer in use or without addresses, else
   * a problem on another node, else nothing.
   */
  private static Condition degraded(
      StatusInputs in, Optional<NodeStatus> gateway, Optional<Condition> nodeProblem) {
    return BackupPeerVerdicts.degraded(in.tunnel(), gateway, in.backupAssignments())
        .or(() -> nodeProblem)
        .orElse(Conditions.of(DEGRADED, false, AS_EXPECTED, "nothing is wrong"));
  }

  /**
   * Why the peer may not answer, for plain GRE: most NAT routers translate only TCP, UDP and ICMP
   * and drop IP protocol 47. The operator cannot see a NAT in front of the gateway, so it says so
   * for every GRE Tunnel whose peer does not answer.
   */
  static String peerUnreachableHint(Tunnel tunnel) {
    if (tunnel.getSpec().getEncapsulation() != Encapsulation.GRE) {
      return "";
    }
    return ". Raw GRE (IP protocol 47) does not pass most NAT routers: if the gateway reaches the"
        + " peer through NAT, use encapsulation GREoverUDP or WireGuard; otherwise check that the"
        + " peer runs and that its firewall lets GRE in";
  }

  /** Degraded because a node other than the gateway reports a False condition. */
  private static Optional<Condition> nodeProblem(
      TunnelStatus status, String gateway, Map<String, Instant> renewals, Instant now) {
    if (status == null || status.getNodes() == null) {
      return Optional.empty();
    }
    List<String> problems = new ArrayList<>();
    for (NodeStatus node : status.getNodes()) {
      if (node.getName() == null || node.getName().equals(gateway)) {
        continue;
      }
      Optional<Instant> silent = AgentSilence.lastHeard(node, renewals, now);
      if (silent.isPresent()) {
        problems.add(node.getName() + ": its agent has not reported since " + silent.get());
        continue;
      }
      if (node.getConditions() == null) {
        continue;
      }
      for (Condition c : node.getConditions()) {
        boolean relevant =
            NodeConditions.LINK_UP.equals(c.getType())
                || NodeConditions.ROUTES_PROGRAMMED.equals(c.getType())
                || NodeConditions.NAT_PROGRAMMED.equals(c.getType());
        // Standby and member nodes run no tunnel device: only their routes and rules matter; a
        // node with nothing to program (NotNeeded) has no problem.
        if (relevant
            && "False".equals(c.getStatus())
            && !NodeConditions.NOT_NEEDED.equals(c.getReason())
            && !(NodeConditions.LINK_UP.equals(c.getType())
                && node.getRole() != NodeRole.GATEWAY)) {
          problems.add(
              node.getName()
                  + ": "
                  + c.getType()
                  + "=False"
                  + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")"));
        }
      }
    }
    if (problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Conditions.of(DEGRADED, true, NODE_PROBLEM, String.join("; ", problems)));
  }

  private static Verdict blocked(String reason, String message) {
    return new Verdict(
        Conditions.of(READY, false, reason, message),
        Conditions.of(DEGRADED, true, reason, message),
        Conditions.of(PROGRESSING, false, reason, message));
  }

  private static String noCandidateMessage(Tunnel tunnel, List<NodeReadiness> candidates) {
    Map<String, String> selector =
        tunnel.getSpec().getGateway() == null
            ? null
            : tunnel.getSpec().getGateway().getNodeSelector();
    String selectorText =
        selector == null || selector.isEmpty()
            ? "{} (every node)"
            : selector.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    if (candidates.isEmpty()) {
      String example =
          selector == null || selector.isEmpty()
              ? ""
              : ": label one, e.g. kubectl label node <node> "
                  + selector.entrySet().stream()
                      .sorted(Map.Entry.comparingByKey())
                      .map(e -> e.getKey() + "=" + e.getValue())
                      .collect(Collectors.joining(" "));
      return "no node matches spec.gateway.nodeSelector " + selectorText + example;
    }
    return "no Ready node with a live agent matches spec.gateway.nodeSelector "
        + selectorText
        + ": "
        + candidates.stream()
            .sorted(java.util.Comparator.comparing(NodeReadiness::name))
            .map(c -> c.name() + (c.ready() ? " (agent heartbeat stopped)" : " (not Ready)"))
            .collect(Collectors.joining(", "))
        + " match";
  }

  private static Optional<NodeStatus> activeEntry(List<NodeStatus> nodes, String active) {
    if (nodes == null || active == null) {
      return Optional.empty();
    }
    return nodes.stream().filter(n -> active.equals(n.getName())).findFirst();
  }
}
