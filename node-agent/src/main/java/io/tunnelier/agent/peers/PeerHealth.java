package io.tunnelier.agent.peers;

import io.tunnelier.agent.plan.PeerDevice;
import io.tunnelier.agent.plan.TunnelPlan;
import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.PeerSwitch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The health of every VPS of the Tunnels with backup peers this node is the gateway of, and the
 * peer each one routes through. Thread-safe: the prober records, the agent loop reads.
 *
 * <p>Hysteresis: a peer turns unhealthy after {@code downAfter} probes in a row are lost, and
 * healthy again after {@code upAfter} in a row are answered (the first answer of a peer never seen
 * counts at once, so a fresh gateway does not wait). The peer in use changes when it turns
 * unhealthy (to the first healthy peer in priority order; to none while none is healthy, and then
 * the routes stay on the dead device, so the kill switch keeps holding the traffic), and back to a
 * peer of higher priority once that one has answered {@code failbackAfter} probes in a row
 * (preemptive failback with a hold-down, so a VPS that flaps does not move traffic back and forth).
 */
public final class PeerHealth {
  /**
   * @param downAfter lost probes in a row that make a peer unhealthy
   * @param upAfter answered probes in a row that make an unhealthy peer healthy again
   * @param failbackAfter answered probes in a row before traffic moves back to a peer of higher
   *     priority than the one in use; 0: never while the one in use is healthy
   */
  public record Settings(int downAfter, int upAfter, int failbackAfter) {
    public static final Settings DEFAULTS = new Settings(3, 3, 10);

    public Settings {
      if (downAfter < 1 || upAfter < 1 || (failbackAfter != 0 && failbackAfter < upAfter)) {
        throw new IllegalArgumentException(
            "peer health: --peer-down-after and --peer-up-after must be at least 1,"
                + " --peer-failback-after 0 (never) or at least --peer-up-after");
      }
    }
  }

  /** What to probe for one peer: its inner address through its own device. */
  public record Target(String tunnel, String peer, String inner) {}

  /** A change of the peer in use, for the log, the metric and the loop's trigger. */
  public record Switch(String tunnel, PeerSwitch change) {}

  private static final int WINDOW = 20;

  private static final class Peer {
    final String name;
    final int priority;
    String inner;
    String problem;
    Boolean healthy; // null: not known yet
    int lostInRow;
    int answeredInRow;
    final boolean[] window = new boolean[WINDOW];
    int next;
    int filled;
    OptionalDouble rtt = OptionalDouble.empty();

    Peer(String name, int priority) {
      this.name = name;
      this.priority = priority;
    }

    OptionalDouble loss() {
      if (filled == 0) {
        return OptionalDouble.empty();
      }
      int lost = 0;
      for (int i = 0; i < filled; i++) {
        if (!window[i]) {
          lost++;
        }
      }
      return OptionalDouble.of(100.0 * lost / filled);
    }

    String why(int downAfter) {
      if (problem != null) {
        return problem;
      }
      if (healthy == null) {
        return "not probed yet";
      }
      return healthy
          ? null
          : lostInRow + " probes in a row lost (unhealthy after " + downAfter + ")";
    }
  }

  private static final class Tunnel {
    final Map<String, Peer> peers = new LinkedHashMap<>();
    String routed; // the peer the plan routes through; never null once watched
    boolean none; // no healthy peer: status shows no active peer
    PeerSwitch lastSwitch;
  }

  private final Settings settings;
  private final Map<String, Tunnel> tunnels = new HashMap<>();

  public PeerHealth(Settings settings) {
    this.settings = settings;
  }

  /**
   * After each pass: the Tunnels with backup peers this node is the gateway of now, with their
   * devices (a peer without one is unhealthy, with the plan's reason). Others are forgotten.
   */
  public synchronized void watch(List<TunnelPlan> plans) {
    Set<String> keep = new java.util.HashSet<>();
    for (TunnelPlan p : plans) {
      if (p.backupPeers() == null) {
        continue;
      }
      keep.add(p.key());
      Tunnel t = tunnels.computeIfAbsent(p.key(), k -> new Tunnel());
      Map<String, Peer> next = new LinkedHashMap<>();
      for (PeerDevice d : p.backupPeers().peers()) {
        Peer peer = t.peers.get(d.peer());
        if (peer == null || peer.priority != d.priority()) {
          peer = new Peer(d.peer(), d.priority());
        }
        String inner = d.device() == null ? null : d.device().peerInner();
        if (inner == null || !inner.equals(peer.inner)) {
          // A new address (or none) is a new path: what was measured no longer applies.
          Peer fresh = new Peer(d.peer(), d.priority());
          fresh.inner = inner;
          peer = fresh;
        }
        peer.problem = d.device() == null ? d.problem() : null;
        if (peer.problem != null) {
          peer.healthy = false;
        }
        next.put(d.peer(), peer);
      }
      t.peers.clear();
      t.peers.putAll(next);
      if (t.routed == null || !t.peers.containsKey(t.routed)) {
        // First sight (or its peer left the spec): what the plan routes through now, which the
        // planner took from this node's last status entry, else the first peer with a device.
        t.routed = p.backupPeers().active();
      }
    }
    tunnels.keySet().retainAll(keep);
  }

  /** Everything to probe now. */
  public synchronized List<Target> targets() {
    List<Target> out = new ArrayList<>();
    tunnels.forEach(
        (key, t) ->
            t.peers.values().stream()
                .filter(p -> p.inner != null && p.problem == null)
                .forEach(p -> out.add(new Target(key, p.name, p.inner))));
    return out;
  }

  /**
   * One probe's outcome; then the choice of the peer in use is made again. Returns the switches
   * this caused (none, or one).
   */
  public synchronized List<Switch> record(Target target, OptionalDouble rtt, Instant now) {
    Tunnel t = tunnels.get(target.tunnel());
    Peer p = t == null ? null : t.peers.get(target.peer());
    if (p == null || !target.inner().equals(p.inner)) {
      return List.of(); // an answer for a path that changed meanwhile
    }
    boolean answered = rtt.isPresent();
    p.window[p.next] = answered;
    p.next = (p.next + 1) % WINDOW;
    p.filled = Math.min(WINDOW, p.filled + 1);
    if (answered) {
      p.rtt = rtt;
      p.answeredInRow++;
      p.lostInRow = 0;
      if (p.healthy == null || (!p.healthy && p.answeredInRow >= settings.upAfter())) {
        p.healthy = true;
      }
    } else {
      p.answeredInRow = 0;
      p.lostInRow++;
      if (p.lostInRow >= settings.downAfter()) {
        p.healthy = false;
      }
    }
    return choose(target.tunnel(), t, now);
  }

  private List<Switch> choose(String key, Tunnel t, Instant now) {
    Peer routed = t.peers.get(t.routed);
    Peer best = null;
    for (Peer p : t.peers.values()) {
      if (Boolean.TRUE.equals(p.healthy)) {
        best = p;
        break; // peers are in priority order
      }
    }
    boolean routedHealthy = routed != null && !Boolean.FALSE.equals(routed.healthy);
    String reason;
    Peer to;
    if (routedHealthy && !t.none) {
      if (settings.failbackAfter() == 0
          || best == null
          || best == routed
          || best.priority > routed.priority
          || best.answeredInRow < settings.failbackAfter()) {
        return List.of();
      }
      to = best;
      reason =
          "failback: "
              + best.name
              + " answered "
              + best.answeredInRow
              + " probes in a row (failback after "
              + settings.failbackAfter()
              + ")";
    } else if (best == null) {
      if (t.none || routed == null) {
        return List.of();
      }
      t.none = true;
      t.lastSwitch =
          new PeerSwitch(
              now.toString(),
              routed.name,
              "",
              "no healthy peer: " + routed.name + " " + routed.why(settings.downAfter()));
      return List.of(new Switch(key, t.lastSwitch));
    } else {
      to = best;
      reason =
          t.none
              ? to.name + " healthy again"
              : routed.name + " unhealthy: " + routed.why(settings.downAfter());
    }
    String from = t.none ? "" : t.routed;
    t.none = false;
    t.routed = to.name;
    t.lastSwitch = new PeerSwitch(now.toString(), from, to.name, reason);
    return List.of(new Switch(key, t.lastSwitch));
  }

  /** The peer each Tunnel routes through, by Tunnel key: the planner's input. */
  public synchronized Map<String, String> routedPeers() {
    Map<String, String> out = new HashMap<>();
    tunnels.forEach((k, t) -> out.put(k, t.routed));
    return out;
  }

  /**
   * What this node reports for the Tunnel: the peer in use (empty while none is healthy), every
   * peer's health, the last switch. Empty for a Tunnel not watched.
   *
   * @param endpoints each peer's endpoint as its datapath sends to it now, by peer name
   */
  public synchronized Optional<Report> report(String tunnel, Map<String, String> endpoints) {
    Tunnel t = tunnels.get(tunnel);
    if (t == null) {
      return Optional.empty();
    }
    List<PeerPathStatus> paths = new ArrayList<>();
    for (Peer p : t.peers.values()) {
      PeerPathStatus s = new PeerPathStatus();
      s.setName(p.name);
      s.setEndpoint(endpoints.get(p.name));
      s.setHealthy(p.healthy);
      s.setReason(p.why(settings.downAfter()));
      p.loss().ifPresent(l -> s.setLossPercent(Math.round(l * 10) / 10.0));
      if (Boolean.TRUE.equals(p.healthy)) {
        p.rtt.ifPresent(r -> s.setRttMillis(Math.round(r * 10) / 10.0));
      }
      paths.add(s);
    }
    return Optional.of(new Report(t.none ? "" : t.routed, paths, t.lastSwitch));
  }

  /** See {@link #report}. */
  public record Report(String activePeer, List<PeerPathStatus> peerPaths, PeerSwitch lastSwitch) {}
}
