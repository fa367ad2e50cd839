package io.tunnelier.operator.gateway;

import io.fabric8.kubernetes.api.model.Condition;
import io.tunnelier.api.v1alpha1.NodeConditions;
import io.tunnelier.api.v1alpha1.NodeRole;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.operator.status.AgentSilence;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Picks a Tunnel's active gateway among the Ready nodes that match its {@code
 * spec.gateway.nodeSelector}. Pure: every input, the clock included, is a parameter, and what must
 * survive a restart (the active gateway) comes in from the Tunnel's status.
 *
 * <p>The active gateway is kept while it is healthy: a new node joining, or a name sorting first,
 * never moves it. It moves when its node is no longer Ready (at once: the node controller already
 * waited), when its agent's heartbeat Lease stopped ({@link AgentHeartbeats}: the node, its agent
 * or its link to the API server died, seconds ago rather than the Node's 50), no longer matches the
 * selector, or when its agent has reported the tunnel down ({@code LinkUp} or {@code PeerReachable}
 * False while acting as gateway) for at least {@code failoverAfter}, or has gone silent ({@link
 * AgentSilence}: dead, or cut off from the API server; with the userspace datapath the tunnel dies
 * with it). It then moves to the next candidate by name that is not itself known to be down; if
 * every other candidate is down too, it stays.
 */
public final class GatewayElection {
  private static final Set<String> TUNNEL_UP_CONDITIONS =
      Set.of(NodeConditions.LINK_UP, NodeConditions.PEER_REACHABLE);

  private final Duration failoverAfter;

  public GatewayElection(Duration failoverAfter) {
    this.failoverAfter = failoverAfter;
  }

  /**
   * Elects.
   *
   * @param candidates the nodes matching the selector, Ready or not
   * @param current {@code status.activeGateway}, may be null
   * @param agents the agents' {@code status.nodes[]} entries
   * @param now the time to judge "for longer than failoverAfter" against
   */
  public Election elect(
      List<NodeReadiness> candidates, String current, List<NodeStatus> agents, Instant now) {
    return elect(candidates, current, agents, Map.of(), now);
  }

  /**
   * Elects, with each node's heartbeat Lease renewal to judge its agent's silence by ({@link
   * AgentSilence}).
   */
  public Election elect(
      List<NodeReadiness> candidates,
      String current,
      List<NodeStatus> agents,
      Map<String, Instant> renewals,
      Instant now) {
    List<String> ready =
        candidates.stream()
            .filter(NodeReadiness::usable)
            .map(NodeReadiness::name)
            .sorted()
            .toList();
    Map<String, NodeStatus> byNode =
        agents == null
            ? Map.of()
            : agents.stream()
                .filter(a -> a.getName() != null)
                .collect(Collectors.toMap(NodeStatus::getName, Function.identity(), (a, b) -> a));
    Function<String, Optional<Instant>> downSince =
        node -> downSince(byNode.get(node), renewals, now);

    if (ready.isEmpty()) {
      Election.Change change =
          current == null
              ? null
              : new Election.Change(
                  current,
                  null,
                  Election.Cause.NO_CANDIDATE,
                  "no Ready node with a live agent matches spec.gateway.nodeSelector");
      return new Election(null, List.of(), change, Optional.empty());
    }

    if (current != null && ready.contains(current)) {
      Optional<Instant> since = downSince.apply(current);
      if (since.isEmpty()) {
        return keep(current, ready, Optional.empty());
      }
      Instant deadline = since.get().plus(failoverAfter);
      if (now.isBefore(deadline)) {
        return keep(current, ready, Optional.of(Duration.between(now, deadline)));
      }
      Optional<String> next =
          rotateAfter(current, ready).stream()
              .filter(n -> !isDown(downSince.apply(n), now))
              .findFirst();
      if (next.isEmpty()) {
        // Every other candidate is down as well: moving would not help.
        return keep(current, ready, Optional.empty());
      }
      return switchTo(
          next.get(),
          ready,
          new Election.Change(
              current,
              next.get(),
              Election.Cause.TUNNEL_DOWN,
              AgentSilence.lastHeard(byNode.get(current), renewals, now).isPresent()
                  ? "the agent on "
                      + current
                      + " has not reported since "
                      + since.get()
                      + " (silent for longer than "
                      + AgentSilence.AFTER.toMinutes()
                      + "m): it is not running, or cannot reach the API server"
                  : "the agent on "
                      + current
                      + " has reported the tunnel down since "
                      + since.get()
                      + ", longer than "
                      + failoverAfter.toSeconds()
                      + "s"));
    }

    List<String> preferred = new ArrayList<>(ready);
    preferred.sort(Comparator.comparing((String n) -> isDown(downSince.apply(n), now)));
    String chosen = preferred.get(0);
    Election.Change change;
    Optional<NodeReadiness> was =
        current == null
            ? Optional.empty()
            : candidates.stream().filter(c -> c.name().equals(current)).findFirst();
    if (current == null) {
      change = new Election.Change(null, chosen, Election.Cause.ELECTED, chosen + " elected");
    } else if (was.isPresent() && was.get().ready() && was.get().heartbeatLost() != null) {
      change =
          new Election.Change(
              current,
              chosen,
              Election.Cause.HEARTBEAT_LOST,
              "the agent on " + current + " " + was.get().heartbeatLost());
    } else if (was.isPresent()) {
      change =
          new Election.Change(
              current,
              chosen,
              Election.Cause.NODE_NOT_READY,
              "node " + current + " is not Ready (or gone)");
    } else {
      change =
          new Election.Change(
              current,
              chosen,
              Election.Cause.NO_LONGER_CANDIDATE,
              "node "
                  + current
                  + " is gone, not Ready, or no longer matches spec.gateway.nodeSelector");
    }
    return switchTo(chosen, ready, change);
  }

  private static Election keep(String active, List<String> ready, Optional<Duration> recheck) {
    return new Election(active, without(ready, active), null, recheck);
  }

  private static Election switchTo(String active, List<String> ready, Election.Change change) {
    return new Election(active, without(ready, active), change, Optional.empty());
  }

  private static List<String> without(List<String> ready, String active) {
    return rotateAfter(active, ready);
  }

  /** The other nodes, starting after {@code node} in name order and wrapping around. */
  private static List<String> rotateAfter(String node, List<String> sorted) {
    List<String> after = new ArrayList<>();
    List<String> before = new ArrayList<>();
    for (String n : sorted) {
      int cmp = n.compareTo(node);
      if (cmp > 0) {
        after.add(n);
      } else if (cmp < 0) {
        before.add(n);
      }
    }
    after.addAll(before);
    return after;
  }

  private boolean isDown(Optional<Instant> since, Instant now) {
    return since.isPresent() && !now.isBefore(since.get().plus(failoverAfter));
  }

  /**
   * Since when the agent, acting as gateway, has reported the tunnel down: the earliest transition
   * of a False {@code LinkUp}/{@code PeerReachable}; for a silent agent (any role), since its last
   * report. Empty when neither holds.
   */
  static Optional<Instant> downSince(NodeStatus agent, Map<String, Instant> renewals, Instant now) {
    Optional<Instant> silent = AgentSilence.lastHeard(agent, renewals, now);
    if (silent.isPresent()) {
      return silent;
    }
    if (agent == null || agent.getRole() != NodeRole.GATEWAY || agent.getConditions() == null) {
      return Optional.empty();
    }
    Instant earliest = null;
    for (Condition c : agent.getConditions()) {
      if (TUNNEL_UP_CONDITIONS.contains(c.getType()) && "False".equals(c.getStatus())) {
        Instant t = parse(c.getLastTransitionTime());
        if (earliest == null || t.isBefore(earliest)) {
          earliest = t;
        }
      }
    }
    return Optional.ofNullable(earliest);
  }

  private static Instant parse(String time) {
    if (time == null) {
      return Instant.MAX.minus(Duration.ofDays(365 * 1000L));
    }
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      // Unknown since when: never old enough to fail over on.
      return Instant.MAX.minus(Duration.ofDays(365 * 1000L));
    }
  }
}
