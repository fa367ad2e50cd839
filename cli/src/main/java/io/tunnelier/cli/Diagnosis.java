package io.tunnelier.cli;

import static io.tunnelier.cli.StatusReads.ago;
import static io.tunnelier.cli.StatusReads.conditionText;
import static io.tunnelier.cli.StatusReads.entries;
import static io.tunnelier.cli.StatusReads.millis;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.tunnelier.api.v1alpha1.DatapathMode;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.NodeConditions;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelSpec;
import io.tunnelier.api.v1alpha1.TunnelType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The checks of {@code kubectl tunnelier diagnose}: pure functions of a {@link Snapshot}, in the
 * order a packet depends on them (operator, gateway, agents, datapath, link, routes, nftables, kill
 * switch, MTU, handshake, peer). The first FAIL in that order is the cause: what comes after it
 * usually fails because of it. Everything comes from what the operator and the agents report (the
 * Tunnel's status), the Nodes, the agent pods and the Events: no SSH, no exec into pods.
 */
public final class Diagnosis {
  /**
   * WireGuard's RejectAfterTime (180 s): a session older than this carries no data. While the
   * tunnel carries anything (the keepalives too) WireGuard renews it every 2 minutes.
   */
  static final Duration HANDSHAKE_STALE = Duration.ofSeconds(180);

  private Diagnosis() {}

  /** Every check's results, in dependency order. */
  public static List<CheckResult> run(Snapshot s) {
    List<CheckResult> all = new ArrayList<>();
    all.add(operator(s));
    all.add(gateway(s));
    all.add(agents(s));
    all.addAll(datapath(s));
    all.add(nodeCondition(s, "link", NodeConditions.LINK_UP));
    all.add(nodeCondition(s, "routes", NodeConditions.ROUTES_PROGRAMMED));
    all.add(nodeCondition(s, "nftables", NodeConditions.NAT_PROGRAMMED));
    all.addAll(killSwitch(s));
    all.add(mtu(s));
    all.addAll(handshake(s));
    all.add(peer(s));
    all.addAll(vpsReachability(s));
    all.add(peerConfig(s));
    all.addAll(events(s));
    return all.stream().filter(Objects::nonNull).toList();
  }

  /**
   * The first FAIL; else, when the Tunnel is not Ready, its Ready condition as the operator gives
   * it; else empty.
   */
  public static Optional<CheckResult> cause(Snapshot s, List<CheckResult> results) {
    Optional<CheckResult> first =
        results.stream().filter(r -> r.severity() == Severity.FAIL).findFirst();
    if (first.isPresent()) {
      return first;
    }
    Optional<Condition> ready = StatusReads.tunnelCondition(s.tunnel(), "Ready");
    if (ready.isPresent() && !"True".equals(ready.get().getStatus())) {
      Condition c = ready.get();
      return Optional.of(
          CheckResult.fail(
              "Ready",
              c.getReason() + ": " + c.getMessage(),
              ReasonAdvice.forReason(c.getReason())));
    }
    return Optional.empty();
  }

  static CheckResult operator(Snapshot s) {
    Tunnel t = s.tunnel();
    String name = "operator";
    if (t.getStatus() == null || t.getStatus().getConditions() == null) {
      return CheckResult.fail(
          name,
          "the Tunnel has no status: the operator has not reconciled it",
          "check that the operator runs: kubectl get pods -A -l"
              + " app.kubernetes.io/name=tunnelier-operator, and read its log");
    }
    Long observed = t.getStatus().getObservedGeneration();
    Long generation = t.getMetadata().getGeneration();
    if (observed != null && generation != null && observed < generation) {
      return CheckResult.warn(
          name,
          "the status describes generation " + observed + ", the spec is at " + generation,
          "wait a moment; if it lasts, check that the operator runs and read its log");
    }
    Condition ready = StatusReads.tunnelCondition(t, "Ready").orElse(null);
    return CheckResult.ok(
        name,
        ready == null
            ? "reconciled"
            : "reconciled generation " + observed + ": " + conditionText(ready));
  }

  static CheckResult gateway(Snapshot s) {
    String name = "gateway candidates";
    TunnelSpec spec = s.tunnel().getSpec();
    Map<String, String> selector =
        spec.getGateway() == null || spec.getGateway().getNodeSelector() == null
            ? Map.of()
            : spec.getGateway().getNodeSelector();
    String selectorText =
        selector.isEmpty()
            ? "(empty spec.gateway.nodeSelector: every node)"
            : selector.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    String active = StatusReads.activeGateway(s.tunnel());
    if (s.nodes() == null) {
      return active == null
          ? CheckResult.fail(
              name,
              "no active gateway, and the Nodes could not be read (" + s.nodesError() + ")",
              "read the Tunnel's Ready condition; ask for get/list on nodes to see the candidates")
          : CheckResult.ok(name, active + " is the active gateway (Nodes not readable)");
    }
    List<Node> matching =
        s.nodes().stream().filter(n -> labelsMatch(n.getMetadata().getLabels(), selector)).toList();
    if (matching.isEmpty()) {
      String example =
          selector.isEmpty()
              ? ""
              : selector.entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .collect(Collectors.joining(" "));
      return CheckResult.fail(
          name,
          "no node matches spec.gateway.nodeSelector "
              + selectorText
              + " ("
              + s.nodes().size()
              + " nodes in the cluster)",
          "label a node that may carry the tunnel: kubectl label node <node> "
              + example
              + ", or fix spec.gateway.nodeSelector");
    }
    List<String> ready =
        matching.stream().filter(Diagnosis::nodeReady).map(Diagnosis::name).toList();
    if (ready.isEmpty()) {
      return CheckResult.fail(
          name,
          "nodes "
              + String.join(", ", matching.stream().map(Diagnosis::name).toList())
              + " match "
              + selectorText
              + " but none is Ready",
          "bring one back (kubectl describe node <node>), or label another node");
    }
    if (active == null) {
      return CheckResult.warn(
          name,
          "Ready candidates " + String.join(", ", ready) + ", but no active gateway yet",
          "wait a moment; if it lasts, read the operator's log");
    }
    if (!ready.contains(active)) {
      return CheckResult.warn(
          name,
          "the active gateway "
              + active
              + " is not a Ready node matching "
              + selectorText
              + ": a failover is due; Ready candidates: "
              + String.join(", ", ready),
          "wait for the failover (Event GatewayFailover), or bring " + active + " back");
    }
    List<String> standby =
        s.tunnel().getStatus().getStandbyGateways() == null
            ? List.of()
            : s.tunnel().getStatus().getStandbyGateways();
    return CheckResult.ok(
        name,
        active
            + " is the active gateway ("
            + ready.size()
            + " Ready of "
            + matching.size()
            + " matching "
            + selectorText
            + "); standby: "
            + (standby.isEmpty() ? "none, so no failover" : String.join(", ", standby)));
  }

  static CheckResult agents(Snapshot s) {
    String name = "agents";
    List<String> nodeNames =
        s.nodes() != null
            ? s.nodes().stream().map(Diagnosis::name).toList()
            : entries(s.tunnel()).stream().map(NodeStatus::getName).toList();
    String active = StatusReads.activeGateway(s.tunnel());
    List<String> problems = new ArrayList<>();
    boolean gatewaySilent = false;
    int reporting = 0;
    for (String node : nodeNames) {
      Optional<NodeStatus> entry = StatusReads.entry(s.tunnel(), node);
      if (entry.isPresent() && !StatusReads.silent(entry.get(), s.leaseRenewals(), s.now())) {
        reporting++;
        continue;
      }
      String what =
          entry.isEmpty()
              ? node + ": no status.nodes[] entry"
              : node
                  + ": last heard from "
                  + ago(StatusReads.lastHeard(entry.get(), s.leaseRenewals()), s.now());
      problems.add(what + podState(s, node));
      if (node.equals(active)) {
        gatewaySilent = true;
      }
    }
    if (problems.isEmpty()) {
      return CheckResult.ok(
          name,
          "the agents on all "
              + reporting
              + " nodes report"
              + (s.leaseRenewals() == null
                  ? " (their heartbeat Leases could not be read, so their silence is judged by"
                      + " the operator: Ready AgentSilent, Degraded NodeProblem)"
                  : " (each renews its heartbeat Lease every 30 s, or, without one, rewrites its"
                      + " entry at least once a minute)"));
    }
    String todo =
        "kubectl get pods -A -o wide -l app.kubernetes.io/name=tunnelier-node-agent; read the"
            + " agent's log on that node (kubectl tunnelier logs "
            + s.tunnel().getMetadata().getName()
            + "); check the DaemonSet's events (Pod Security, image pulls)";
    String what = String.join("; ", problems);
    return gatewaySilent || reporting == 0
        ? CheckResult.fail(name, what, todo)
        : CheckResult.warn(name, what, todo);
  }

  /** What the agent pod on {@code node} is doing, when the pods were readable. */
  private static String podState(Snapshot s, String node) {
    if (s.agentPods() == null) {
      return "";
    }
    List<Pod> onNode =
        s.agentPods().stream()
            .filter(p -> p.getSpec() != null && node.equals(p.getSpec().getNodeName()))
            .toList();
    if (onNode.isEmpty()) {
      return " (no agent pod on it: check the DaemonSet's nodeSelector and tolerations)";
    }
    Pod pod = onNode.get(0);
    String phase = pod.getStatus() == null ? "no status" : pod.getStatus().getPhase();
    String waiting =
        pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
            ? ""
            : pod.getStatus().getContainerStatuses().stream()
                .map(ContainerStatus::getState)
                .filter(st -> st != null && st.getWaiting() != null)
                .map(st -> " " + st.getWaiting().getReason())
                .collect(Collectors.joining());
    return " (agent pod " + pod.getMetadata().getName() + ": " + phase + waiting + ")";
  }

  static List<CheckResult> datapath(Snapshot s) {
    String name = "datapath";
    TunnelSpec spec = s.tunnel().getSpec();
    List<CheckResult> out = new ArrayList<>();
    Map<String, String> running = new LinkedHashMap<>();
    for (NodeStatus e : entries(s.tunnel())) {
      Optional<Condition> link = StatusReads.nodeCondition(e, NodeConditions.LINK_UP);
      String reason = link.map(Condition::getReason).orElse("");
      if (NodeConditions.KERNEL_MODULE_MISSING.equals(reason)) {
        out.add(
            CheckResult.fail(
                name,
                e.getName()
                    + " has no "
                    + kernelModule(spec.getEncapsulation())
                    + " kernel module and the Tunnel asks for datapath: Kernel",
                "set spec.datapath: Auto (the agent's userspace datapath takes over), or"
                    + " modprobe "
                    + kernelModule(spec.getEncapsulation())
                    + " on that node"));
      } else if (NodeConditions.DATAPATH_FAILED.equals(reason)) {
        out.add(
            CheckResult.fail(
                name,
                e.getName()
                    + ": the userspace datapath could not start: "
                    + link.get().getMessage(),
                "check /dev/net/tun on the node (modprobe tun) and that the agent pod kept its"
                    + " hostPath volume and NET_ADMIN"));
      }
      if (e.getDatapath() != null) {
        running.put(e.getName(), StatusView.json(e.getDatapath()));
      }
    }
    if (out.isEmpty()) {
      if (running.isEmpty()) {
        return List.of();
      }
      boolean fellBack =
          spec.getDatapath() != DatapathMode.USERSPACE
              && spec.getEncapsulation() != Encapsulation.GRE_OVER_UDP
              && running.containsValue("Userspace");
      out.add(
          CheckResult.ok(
              name,
              running.entrySet().stream()
                      .map(x -> x.getKey() + " " + x.getValue())
                      .collect(Collectors.joining(", "))
                  + (fellBack
                      ? " (Userspace: no "
                          + kernelModule(spec.getEncapsulation())
                          + " kernel module there, the agent carries the tunnel over TUN)"
                      : "")));
    }
    return out;
  }

  private static String kernelModule(Encapsulation e) {
    return e == Encapsulation.WIREGUARD ? "wireguard" : "ip_gre";
  }

  private static final Map<String, String> NODE_CONDITION_TODO =
      Map.of(
          NodeConditions.LINK_UP,
          "read the agent's log on that node (kubectl tunnelier logs NAME); the agent recreates"
              + " the device at its next sync",
          NodeConditions.ROUTES_PROGRAMMED,
          "another component may own the same rule priority or table: the agent uses rule"
              + " priorities 10100-10199 and tables from 0x540000 (ip rule show on the node)",
          NodeConditions.NAT_PROGRAMMED,
          "nft refused the transaction (the message has its error): check nftables on the node"
              + " (nf_tables module, nft list tables)");

  /** One node condition across all nodes: FAIL where it asks for something. */
  static CheckResult nodeCondition(Snapshot s, String name, String type) {
    List<String> bad = new ArrayList<>();
    List<String> good = new ArrayList<>();
    for (NodeStatus e : entries(s.tunnel())) {
      Optional<Condition> c = StatusReads.nodeCondition(e, type);
      if (c.isEmpty()) {
        continue;
      }
      // KernelModuleMissing and DatapathFailed are the datapath check's.
      String reason = c.get().getReason();
      if (NodeConditions.KERNEL_MODULE_MISSING.equals(reason)
          || NodeConditions.DATAPATH_FAILED.equals(reason)) {
        continue;
      }
      if (StatusReads.isProblem(c.get())) {
        bad.add(e.getName() + " " + conditionText(c.get()) + ": " + c.get().getMessage());
      } else if ("True".equals(c.get().getStatus())) {
        good.add(e.getName());
      }
    }
    if (!bad.isEmpty()) {
      return CheckResult.fail(
          name,
          String.join("; ", bad),
          NODE_CONDITION_TODO.get(type).replace("NAME", s.tunnel().getMetadata().getName()));
    }
    if (good.isEmpty()) {
      return null;
    }
    return CheckResult.ok(name, type + "=True on " + String.join(", ", good));
  }

  static List<CheckResult> killSwitch(Snapshot s) {
    TunnelSpec spec = s.tunnel().getSpec();
    if (spec.getType() != TunnelType.EGRESS) {
      return List.of();
    }
    String name = "kill switch";
    boolean on =
        spec.getEgress() == null
            || spec.getEgress().getKillSwitch() == null
            || spec.getEgress().getKillSwitch();
    if (!on) {
      return List.of(
          CheckResult.warn(
              name,
              "off (spec.egress.killSwitch: false): while the tunnel is down, the selected pods'"
                  + " traffic leaves with the node's own address",
              "set spec.egress.killSwitch: true, unless leaking is what you want"));
    }
    List<String> without = new ArrayList<>();
    List<String> with = new ArrayList<>();
    for (NodeStatus e : entries(s.tunnel())) {
      Optional<Condition> nat = StatusReads.nodeCondition(e, NodeConditions.NAT_PROGRAMMED);
      if (nat.isEmpty()) {
        continue;
      }
      if (StatusReads.isProblem(nat.get())) {
        without.add(e.getName());
      } else if ("True".equals(nat.get().getStatus())) {
        with.add(e.getName());
      }
    }
    if (!without.isEmpty()) {
      return List.of(
          CheckResult.fail(
              name,
              "on, but not in place on "
                  + String.join(", ", without)
                  + " (NATProgrammed is not True there): selected pods on it may leak",
              "fix the nftables problem first (see the nftables check)"));
    }
    boolean up =
        StatusReads.isTrue(
            StatusReads.gatewayEntry(s.tunnel())
                .flatMap(e -> StatusReads.nodeCondition(e, NodeConditions.PEER_REACHABLE)));
    if (with.isEmpty()) {
      return List.of(CheckResult.ok(name, "on; no node has programmed it yet"));
    }
    return List.of(
        CheckResult.ok(
            name,
            "on, programmed on "
                + String.join(", ", with)
                + (up
                    ? ""
                    : ": while the tunnel is down the selected pods' traffic is dropped, not"
                        + " leaked")));
  }

  static CheckResult mtu(Snapshot s) {
    String name = "MTU";
    TunnelSpec spec = s.tunnel().getSpec();
    // Only the nodes that run the tunnel device: a member's entry has its VXLAN hop's MTU.
    Map<String, Integer> byNode = new LinkedHashMap<>();
    for (NodeStatus e : entries(s.tunnel())) {
      if (e.getMtu() != null && e.getRole() != io.tunnelier.api.v1alpha1.NodeRole.MEMBER) {
        byNode.put(e.getName(), e.getMtu());
      }
    }
    Integer mtu = s.tunnel().getStatus() == null ? null : s.tunnel().getStatus().getMtu();
    boolean clamp = spec.getMssClamp() == null || spec.getMssClamp();
    if (byNode.values().stream().distinct().count() > 1) {
      return CheckResult.warn(
          name,
          "the gateway and standby nodes use different tunnel MTUs: "
              + byNode.entrySet().stream()
                  .map(e -> e.getKey() + " " + e.getValue())
                  .collect(Collectors.joining(", ")),
          "set spec.mtu to the smallest, so that every node's packets fit");
    }
    if (mtu == null && byNode.isEmpty()) {
      return null;
    }
    int value = mtu != null ? mtu : byNode.values().iterator().next();
    String source =
        spec.getMtu() == null || spec.getMtu() == 0
            ? "the gateway's underlay MTU minus the encapsulation overhead"
            : "spec.mtu";
    if (!clamp) {
      return CheckResult.warn(
          name,
          "tunnel MTU " + value + " (" + source + "), MSS clamping off (spec.mssClamp: false)",
          "if large transfers or TLS handshakes hang, set spec.mssClamp: true or a lower"
              + " spec.mtu (docs/troubleshooting.md#mtu-blackholes)");
    }
    return CheckResult.ok(
        name,
        "tunnel MTU "
            + value
            + (byNode.isEmpty() ? "" : " on " + String.join(", ", byNode.keySet()))
            + " ("
            + source
            + "), TCP MSS clamped to it");
  }

  static List<CheckResult> handshake(Snapshot s) {
    if (s.tunnel().getSpec().getEncapsulation() != Encapsulation.WIREGUARD) {
      return List.of();
    }
    Optional<NodeStatus> gw = StatusReads.gatewayEntry(s.tunnel());
    if (gw.isEmpty()
        || !StatusReads.isTrue(StatusReads.nodeCondition(gw.get(), NodeConditions.LINK_UP))) {
      return List.of();
    }
    String name = "handshake";
    NodeStatus e = gw.get();
    String endpoint = endpoint(s.tunnel(), e);
    Optional<Duration> age = StatusReads.age(e.getLastHandshakeTime(), s.now());
    String todo =
        "check the far end: does it run with this Tunnel's peer config (kubectl tunnelier"
            + " vps-config "
            + s.tunnel().getMetadata().getName()
            + "), does "
            + endpoint
            + " point at it, does its firewall (and your provider's) let UDP "
            + port(endpoint)
            + " in?";
    // The host answering directly while WireGuard does not narrows it down to the service.
    String hostUp =
        e.getDirectRttMillis() == null
            ? ""
            : ", although "
                + host(endpoint)
                + " answers directly ("
                + millis(e.getDirectRttMillis())
                + "): the host is up, WireGuard on that port does not answer";
    if (age.isEmpty()) {
      return List.of(
          CheckResult.fail(
              name,
              "no WireGuard handshake with "
                  + endpoint
                  + " has completed on gateway "
                  + e.getName()
                  + hostUp,
              todo));
    }
    if (age.get().compareTo(HANDSHAKE_STALE) > 0) {
      return List.of(
          CheckResult.fail(
              name,
              "the last WireGuard handshake with "
                  + endpoint
                  + " was "
                  + StatusReads.human(age.get())
                  + " ago, older than WireGuard's 180 s session: the far end stopped answering"
                  + hostUp,
              todo));
    }
    return List.of(
        CheckResult.ok(
            name,
            "last handshake with "
                + endpoint
                + " "
                + StatusReads.human(age.get())
                + " ago (renewed every 2 minutes)"));
  }

  static CheckResult peer(Snapshot s) {
    String name = "peer";
    Optional<NodeStatus> gw = StatusReads.gatewayEntry(s.tunnel());
    if (gw.isEmpty()) {
      return null;
    }
    NodeStatus e = gw.get();
    Optional<Condition> reach = StatusReads.nodeCondition(e, NodeConditions.PEER_REACHABLE);
    String peerAddress = s.tunnel().getStatus().getPeerAddress();
    String inner = peerAddress == null ? "the peer's inner address" : peerAddress.split("/")[0];
    if (reach.isEmpty()) {
      return CheckResult.warn(
          name,
          "gateway " + e.getName() + " has not probed " + inner + " yet",
          "wait for the agent's next pass; if it lasts, read its log");
    }
    if (NodeConditions.PROBING.equals(reach.get().getReason())) {
      return CheckResult.warn(
          name,
          "gateway " + e.getName() + " has had no answer from " + inner + " yet (a new tunnel)",
          "wait a few seconds: after three unanswered probes it reports the peer unreachable");
    }
    if (!"True".equals(reach.get().getStatus())) {
      Encapsulation encap = s.tunnel().getSpec().getEncapsulation();
      String todo =
          "check the far end: is it running with the "
              + s.tunnel().getMetadata().getName()
              + "-peer-config Secret's config, is its port open in its firewall, is"
              + " spec.peer.endpoint right?"
              + (encap == Encapsulation.GRE
                  ? " Raw GRE (IP protocol 47) does not pass most NAT routers: behind NAT, use"
                      + " GREoverUDP or WireGuard"
                  : "");
      return CheckResult.fail(
          name,
          inner
              + " does not answer through the tunnel from gateway "
              + e.getName()
              + " ("
              + conditionText(reach.get())
              + ")",
          todo);
    }
    String what =
        inner
            + " answers through the tunnel from "
            + e.getName()
            + ": RTT "
            + millis(e.getRttMillis())
            + (e.getLossPercent() == null ? "" : ", loss " + e.getLossPercent() + "%");
    if (e.getLossPercent() != null && e.getLossPercent() > 0) {
      return CheckResult.warn(
          name,
          what,
          "some probes through the tunnel are lost: look at the path to the VPS and its load");
    }
    return CheckResult.ok(name, what);
  }

  static List<CheckResult> vpsReachability(Snapshot s) {
    Optional<NodeStatus> gw = StatusReads.gatewayEntry(s.tunnel());
    if (gw.isEmpty()) {
      return List.of();
    }
    NodeStatus e = gw.get();
    String name = "VPS reachability";
    String endpoint = endpoint(s.tunnel(), e);
    if (e.getDirectRttMillis() == null) {
      return List.of(
          CheckResult.warn(
              name,
              "gateway " + e.getName() + " reports no direct round trip to " + host(endpoint),
              "the VPS may be down or drop the agent's direct probe; check that the gateway"
                  + " reaches its public address"));
    }
    String detour =
        e.getRttMillis() == null
            ? ""
            : String.format(
                java.util.Locale.ROOT,
                "; through the tunnel %s, detour +%.2fms",
                millis(e.getRttMillis()),
                e.getRttMillis() - e.getDirectRttMillis());
    return List.of(
        CheckResult.ok(
            name,
            host(endpoint)
                + " answers "
                + e.getName()
                + " directly (outside the tunnel) in "
                + millis(e.getDirectRttMillis())
                + detour));
  }

  static CheckResult peerConfig(Snapshot s) {
    String name = "peer config";
    String secret = s.tunnel().getMetadata().getName() + "-peer-config";
    if (s.peerConfigError() != null) {
      return CheckResult.warn(
          name, "cannot read Secret " + secret + ": " + s.peerConfigError(), "ask for get on it");
    }
    if (s.peerConfigKeys() == null) {
      return CheckResult.warn(
          name,
          "no Secret " + secret + ": the operator has not rendered the far end's config yet",
          "see the Tunnel's Ready condition (an address or a key may be missing)");
    }
    return CheckResult.ok(
        name,
        "Secret "
            + secret
            + " holds "
            + String.join(", ", s.peerConfigKeys().stream().sorted().toList())
            + " (kubectl tunnelier vps-config "
            + s.tunnel().getMetadata().getName()
            + ")");
  }

  /** The Warning Events about the Tunnel, newest first, one per reason. */
  static List<CheckResult> events(Snapshot s) {
    Map<String, Event> byReason = new LinkedHashMap<>();
    s.events().stream()
        .filter(ev -> "Warning".equals(ev.getType()))
        .sorted(Comparator.comparing(Diagnosis::eventTime).reversed())
        .forEach(ev -> byReason.putIfAbsent(ev.getReason(), ev));
    return byReason.values().stream()
        .limit(5)
        .map(
            ev ->
                CheckResult.warn(
                    "event",
                    ev.getReason() + " " + ago(eventTime(ev), s.now()) + ": " + ev.getMessage(),
                    ReasonAdvice.forReason(ev.getReason())))
        .toList();
  }

  private static String eventTime(Event ev) {
    if (ev.getLastTimestamp() != null) {
      return ev.getLastTimestamp();
    }
    if (ev.getEventTime() != null && ev.getEventTime().getTime() != null) {
      return ev.getEventTime().getTime();
    }
    return ev.getMetadata().getCreationTimestamp() == null
        ? ""
        : ev.getMetadata().getCreationTimestamp();
  }

  private static String endpoint(Tunnel t, NodeStatus gateway) {
    return gateway.getPeerEndpoint() != null
        ? gateway.getPeerEndpoint()
        : t.getSpec().getPeer().getEndpoint();
  }

  /** The host of {@code host:port} or {@code [v6]:port}. */
  private static String host(String endpoint) {
    if (endpoint.startsWith("[")) {
      int close = endpoint.indexOf(']');
      return close < 0 ? endpoint : endpoint.substring(1, close);
    }
    int colon = endpoint.lastIndexOf(':');
    return colon < 0 || endpoint.indexOf(':') != colon ? endpoint : endpoint.substring(0, colon);
  }

  private static String port(String endpoint) {
    int colon = endpoint.lastIndexOf(':');
    return colon < 0 || endpoint.endsWith("]") ? "" : endpoint.substring(colon + 1);
  }

  private static boolean labelsMatch(Map<String, String> labels, Map<String, String> selector) {
    Map<String, String> have = labels == null ? Map.of() : labels;
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())));
  }

  private static boolean nodeReady(Node n) {
    return n.getStatus() != null
        && n.getStatus().getConditions() != null
        && n.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String name(Node n) {
    return n.getMetadata().getName();
  }
}
