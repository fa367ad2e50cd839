package io.tunnelier.agent.tunnel;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.agent.plan.TunnelDevice;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The datapaths this agent has open, one per tunnel device it wants. {@link #sync} opens what is
 * missing (or whose device disappeared), re-opens what changed and closes what is no longer wanted.
 * A far end given as a DNS name is resolved on every sync ({@link PeerResolver}). An open that
 * fails is reported per tunnel and retried on the next sync.
 */
public final class OpenDatapaths {
  private static final Logger LOG = LoggerFactory.getLogger(OpenDatapaths.class);

  private record Open(TunnelDevice device, Datapath datapath) {}

  private final DatapathOpener opener;
  private final PeerResolver resolver;
  private final Map<String, Open> open = new HashMap<>();
  private long changes;

  public OpenDatapaths(DatapathOpener opener) {
    this(opener, new SystemPeerResolver());
  }

  public OpenDatapaths(DatapathOpener opener, PeerResolver resolver) {
    this.opener = opener;
    this.resolver = resolver;
  }

  /**
   * @param wanted tunnel key to device, for devices with a datapath config
   * @param liveLinks names of our links that exist now: a wanted device that vanished is re-opened
   * @return tunnel key to the error of a datapath that could not be opened
   */
  public synchronized Map<String, String> sync(
      Map<String, TunnelDevice> unresolved, Set<String> liveLinks) {
    Map<String, String> errors = new LinkedHashMap<>();
    Map<String, TunnelDevice> wanted = resolve(unresolved, errors);
    for (String key : new HashSet<>(open.keySet())) {
      TunnelDevice want = wanted.get(key);
      Open have = open.get(key);
      if (want == null || !same(want, have.device()) || !liveLinks.contains(have.device().name())) {
        LOG.atInfo()
            .setMessage("closing datapath")
            .addKeyValue("tunnel", key)
            .addKeyValue("device", have.device().name())
            .addKeyValue(
                "reason",
                want == null
                    ? "unwanted"
                    : !liveLinks.contains(have.device().name()) ? "device-gone" : "changed")
            .log();
        open.remove(key);
        changes++;
        try {
          have.datapath().close();
        } catch (RuntimeException e) {
          LOG.atWarn()
              .setMessage("closing datapath failed")
              .addKeyValue("tunnel", key)
              .addKeyValue("error", e.getMessage())
              .log();
        }
      }
    }
    for (Map.Entry<String, TunnelDevice> e : wanted.entrySet()) {
      if (open.containsKey(e.getKey())) {
        continue;
      }
      TunnelDevice d = e.getValue();
      changes++; // also when the open fails: it may have got as far as creating the device
      try {
        Datapath datapath = opener.open(d.datapath(), d.config());
        open.put(e.getKey(), new Open(d, datapath));
        LOG.atInfo()
            .setMessage("opened datapath")
            .addKeyValue("tunnel", e.getKey())
            .addKeyValue("device", d.name())
            .addKeyValue("datapath", d.datapath())
            .addKeyValue("why", d.datapathReason())
            .addKeyValue("mtu", datapath.mtu())
            .log();
      } catch (Exception ex) {
        errors.put(e.getKey(), "cannot open the datapath: " + ex.getMessage());
      }
    }
    return errors;
  }

  /**
   * Devices whose far end is a DNS name get the address it resolves to now, so a changed answer
   * re-opens the datapath towards the new address. A name that does not resolve keeps what is open
   * (a DNS outage must not take a working tunnel down); with nothing open it is an error.
   */
  private Map<String, TunnelDevice> resolve(
      Map<String, TunnelDevice> unresolved, Map<String, String> errors) {
    Map<String, TunnelDevice> out = new LinkedHashMap<>();
    for (Map.Entry<String, TunnelDevice> e : unresolved.entrySet()) {
      TunnelDevice d = e.getValue();
      InetSocketAddress peer = d.config().peer();
      if (peer == null || !peer.isUnresolved()) {
        out.put(e.getKey(), d);
        continue;
      }
      try {
        InetSocketAddress address = resolver.resolve(peer);
        out.put(
            e.getKey(),
            new TunnelDevice(
                d.name(),
                d.address(),
                d.peerInner(),
                d.mtu(),
                d.datapath(),
                d.datapathReason(),
                d.config().withPeer(address)));
      } catch (IOException | RuntimeException ex) {
        Open have = open.get(e.getKey());
        if (have != null) {
          LOG.atWarn()
              .setMessage("cannot resolve the peer; keeping the open datapath")
              .addKeyValue("tunnel", e.getKey())
              .addKeyValue("peer", peer.getHostString())
              .addKeyValue("error", ex.getMessage())
              .log();
          out.put(e.getKey(), have.device());
        } else {
          errors.put(
              e.getKey(),
              "cannot resolve the peer's address "
                  + peer.getHostString()
                  + ": "
                  + (ex instanceof java.net.UnknownHostException
                      ? "no such host (or no answer)"
                      : ex.getMessage()));
        }
      }
    }
    return out;
  }

  /**
   * How many opens (tried) and closes {@link #sync} has done so far: when a sync leaves it as it
   * was, no device appeared or vanished, and a read of the kernel from before it still holds.
   */
  public synchronized long changes() {
    return changes;
  }

  public synchronized Optional<DatapathStats> stats(String key) {
    Open o = open.get(key);
    if (o == null) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(o.datapath().stats());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  public synchronized Optional<Integer> mtu(String key) {
    Open o = open.get(key);
    return o == null ? Optional.empty() : Optional.of(o.datapath().mtu());
  }

  /** Closes every datapath (cleanup). On a normal stop the agent leaves them: see docs/agent.md. */
  public synchronized void closeAll() {
    for (Open o : List.copyOf(open.values())) {
      try {
        o.datapath().close();
      } catch (RuntimeException e) {
        LOG.atWarn()
            .setMessage("closing datapath failed")
            .addKeyValue("device", o.device().name())
            .addKeyValue("error", e.getMessage())
            .log();
      }
    }
    open.clear();
  }

  /** Whether {@code b} is what {@code a} is open with: no re-open needed. */
  public static boolean same(TunnelDevice a, TunnelDevice b) {
    return a.name().equals(b.name())
        && a.datapath() == b.datapath()
        && a.mtu() == b.mtu()
        && java.util.Objects.equals(a.config(), b.config());
  }
}
