package io.tunnelier.agent.plan;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.kernel.Vxlan;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.net.IpFamily;
import io.tunnelier.api.peerconfig.GreKeys;
import io.tunnelier.api.peerconfig.HostPort;
import io.tunnelier.api.peerconfig.TunnelPeers;
import io.tunnelier.api.v1alpha1.EgressSpec;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.PeerSpec;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelSpec;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.api.v1alpha1.TunnelType;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * In-cluster mode: what each Tunnel needs on this node, from the Tunnels (spec and the operator's
 * status), the Nodes, the selected pods and the pods on this node. Pure. Tunnels being deleted get
 * no plan, so everything of theirs is removed.
 */
public final class ClusterPlanner {
  private ClusterPlanner() {}

  public static List<TunnelPlan> plan(ClusterSnapshot snapshot, NodeContext ctx) {
    List<Tunnel> live = new ArrayList<>();
    for (Tunnel t : snapshot.tunnels()) {
      if (t.getMetadata().getDeletionTimestamp() == null && t.getSpec() != null) {
        live.add(t);
      }
    }
    // Oldest first, so a new Tunnel whose hashed identity collides is the one that moves.
    live.sort(BY_AGE);
    Map<String, TunnelId> ids = TunnelIds.assign(live.stream().map(ClusterPlanner::key).toList());
    Map<String, NodeInfo> nodes = new HashMap<>();
    snapshot.nodes().forEach(n -> nodes.put(n.name(), n));
    List<Cidr> clusterExcluded = clusterRanges(snapshot.nodes(), ctx.clusterCidrs());
    LocalPods local = LocalPods.of(snapshot, nodes.get(ctx.nodeName()), ctx.nodeName());
    List<TunnelPlan> plans = new ArrayList<>();
    for (Tunnel t : live) {
      try {
        plans.add(planOne(t, ids.get(key(t)), snapshot, nodes, clusterExcluded, local, ctx));
      } catch (RuntimeException e) {
        // A Tunnel the planner cannot understand is reported, never takes the others down.
        plans.add(
            new TunnelPlan(
                ids.get(key(t)),
                Role.MEMBER,
                t.getSpec().getType(),
                null,
                null,
                null,
                null,
                0,
                null,
                "cannot plan this Tunnel: " + e.getMessage()));
      }
    }
    return plans;
  }

  /**
   * The cluster's own ranges, which never leave through a tunnel: {@code --cluster-cidr} (e.g. the
   * service CIDR) and every Node's pod CIDRs and address.
   */
  static List<Cidr> clusterRanges(List<NodeInfo> nodes, List<Cidr> clusterCidrs) {
    List<Cidr> out = new ArrayList<>(clusterCidrs);
    for (NodeInfo n : nodes) {
      out.addAll(Cidrs.parseAll(n.podCidrs()));
      if (n.internalIp() != null) {
        out.addAll(Cidrs.parseAll(List.of(n.internalIp())));
      }
      if (n.internalIp6() != null) {
        out.addAll(Cidrs.parseAll(List.of(n.internalIp6())));
      }
    }
    return out;
  }

  /**
   * Creation time (RFC 3339 in UTC, so text order is time order), then key: the same everywhere.
   */
  private static final Comparator<Tunnel> BY_AGE =
      Comparator.comparing(
              (Tunnel t) ->
                  t.getMetadata().getCreationTimestamp() == null
                      ? ""
                      : t.getMetadata().getCreationTimestamp())
          .thenComparing(ClusterPlanner::key);

  public static String key(Tunnel t) {
    return t.getMetadata().getNamespace() + "/" + t.getMetadata().getName();
  }

  private static TunnelPlan planOne(
      Tunnel t,
      TunnelId id,
      ClusterSnapshot snapshot,
      Map<String, NodeInfo> nodes,
      List<Cidr> clusterExcluded,
      LocalPods localPods,
      NodeContext ctx) {
    TunnelSpec spec = t.getSpec();
    TunnelStatus status = t.getStatus() == null ? new TunnelStatus() : t.getStatus();
    String me = ctx.nodeName();
    Role role =
        me.equals(status.getActiveGateway())
            ? Role.GATEWAY
            : status.getStandbyGateways() != null && status.getStandbyGateways().contains(me)
                ? Role.STANDBY
                : Role.MEMBER;
    boolean egress = spec.getType() == TunnelType.EGRESS;
    Encapsulation encap =
        spec.getEncapsulation() == null ? Encapsulation.WIREGUARD : spec.getEncapsulation();

    // Egress carries IPv6 once the operator has given the Tunnel IPv6 inner addresses, which it
    // does for an IPv6 destination; every node reads the same status, so all of them agree.
    Cidr tunnelAddress6 = parseOrNull(status.getTunnelAddress6());
    boolean carries6 = egress && tunnelAddress6 != null;
    List<PodInfo> selected = new ArrayList<>();
    boolean selectedAwaitingIpHere = false;
    // Without IPv6 egress, the selected pods' IPv6 leaves from their own node, where it is dropped
    // (link-local aside), whichever node is the gateway.
    java.util.TreeSet<String> ipv6Here = new java.util.TreeSet<>();
    int ipv6PodsHere = 0;
    if (egress && spec.getEgress() != null) {
      for (PodInfo p : snapshot.pods()) {
        if (p.namespace().equals(t.getMetadata().getNamespace())
            && Selectors.matches(spec.getEgress().getPodSelector(), p.labels())) {
          if (p.routable() || carries6 && ipv6Steerable(p)) {
            selected.add(p);
          } else if (p.awaitingIp() && me.equals(p.nodeName())) {
            selectedAwaitingIpHere = true;
          }
          if (!carries6 && me.equals(p.nodeName()) && !p.hostNetwork() && !p.finished()) {
            List<String> v6 =
                p.ipv6().stream().filter(a -> !Cidr.parseAddress(a).isLinkLocal()).toList();
            if (!v6.isEmpty()) {
              ipv6Here.addAll(v6);
              ipv6PodsHere++;
            }
          }
        }
      }
    }
    List<Cidr> destinations;
    List<Cidr> notCarried = List.of();
    List<Cidr> excluded = new ArrayList<>();
    boolean killSwitch = false;
    if (egress) {
      EgressSpec e = spec.getEgress() == null ? new EgressSpec() : spec.getEgress();
      // IPv6 destinations wait for IPv6 inner addresses; meanwhile the kill switch drops the
      // selected pods' IPv6.
      List<Cidr> wanted =
          e.getDestinations() == null || e.getDestinations().isEmpty()
              ? List.of(Cidr.ipv4(0, 0))
              : Cidrs.parseAll(e.getDestinations());
      destinations = carries6 ? wanted : Cidrs.of(IpFamily.IPV4, wanted);
      notCarried = carries6 ? List.of() : Cidrs.of(IpFamily.IPV6, wanted);
      List<Cidr> notWanted = new ArrayList<>(Cidrs.parseAll(e.getExcludedDestinations()));
      notWanted.addAll(clusterExcluded);
      excluded.addAll(carries6 ? notWanted : Cidrs.of(IpFamily.IPV4, notWanted));
      killSwitch = e.getKillSwitch() == null || e.getKillSwitch();
    } else {
      destinations =
          Cidrs.parseAll(
              spec.getSiteToSite() == null ? null : spec.getSiteToSite().getRemoteCIDRs());
      refuseClusterOverlap(destinations, clusterExcluded);
    }
    excluded = Cidrs.collapse(excluded);
    PendingPodGuard guard =
        killSwitch && selectedAwaitingIpHere ? localPods.guard().orElse(null) : null;

    int underlayMtu = ctx.underlay() == null ? 1500 : ctx.underlay().mtu();
    // The gateway computes its MTU from its own underlay (status.mtu is what it reported itself);
    // other nodes take the operator's status.mtu, as they cannot see the gateway's underlay.
    IpFamily underlayFamily =
        Mtu.underlayFamily(
            TunnelPeers.of(t).stream()
                .map(p -> p.spec() == null ? null : p.spec().getEndpoint())
                .toList());
    int tunnelMtu =
        Mtu.tunnel(
            spec.getMtu(),
            role == Role.GATEWAY ? null : status.getMtu(),
            underlayMtu,
            encap,
            underlayFamily);
    int vxlanMtu = underlayMtu - Mtu.VXLAN_OVERHEAD;
    boolean clamp = spec.getMssClamp() == null || spec.getMssClamp();
    int mss = clamp ? Math.min(tunnelMtu, vxlanMtu) - Mtu.TCP_IP_HEADERS : 0;

    Inbound inbound = inbound(spec, egress, destinations, nodes, me);

    NodeInfo myNode = nodes.get(me);
    String myIp =
        myNode != null && myNode.internalIp() != null
            ? myNode.internalIp()
            : ctx.underlay() == null ? null : ctx.underlay().address();
    Cidr tunnelAddress = parseOrNull(firstNonBlank(status.getTunnelAddress(), spec.getAddress()));
    Cidr peerAddress = parseOrNull(status.getPeerAddress());

    if (role == Role.GATEWAY) {
      List<Cidr> pods = selected.stream().flatMap(p -> steered(p, carries6).stream()).toList();
      KillSwitch ks =
          killSwitch
              ? new KillSwitch(
                  pods,
                  destinations,
                  excluded,
                  id.deviceName(),
                  guard,
                  List.copyOf(ipv6Here),
                  ipv6PodsHere)
              : null;
      DatapathChoice.Result choice =
          DatapathChoice.choose(
              spec.getDatapath(),
              encap,
              ctx.capabilities(),
              false,
              underlayFamily == IpFamily.IPV6);
      TunnelKeys keys = snapshot.keys().get(key(t));
      List<PeerDevice> peerDevices = new ArrayList<>();
      for (TunnelPeers.Peer peer : TunnelPeers.of(t)) {
        Cidr local = tunnelAddress;
        Cidr remote = peerAddress;
        Cidr local6 = carries6 ? tunnelAddress6 : null;
        if (!peer.primary()) {
          PeerPathStatus path = peerPath(status, peer.name());
          local = path == null ? null : parseOrNull(path.getTunnelAddress());
          remote = path == null ? null : parseOrNull(path.getPeerAddress());
          local6 = path == null || !carries6 ? null : parseOrNull(path.getTunnelAddress6());
        }
        peerDevices.add(
            peerDevice(t, id, peer, choice, local, remote, local6, tunnelMtu, encap, keys));
        if (!egress) {
          break; // site-to-site has one peer: the CRD refuses backups there
        }
      }
      PeerDevice primary = peerDevices.isEmpty() ? null : peerDevices.get(0);
      if (primary == null) {
        return new TunnelPlan(
            id, role, spec.getType(), null, null, null, null, 0, ks, "spec.peer is missing");
      }
      BackupPeers backups = null;
      PeerDevice active = primary;
      if (peerDevices.size() > 1) {
        // The health checks' choice; before they have one (a restarted agent), the peer this
        // node reported last, so a gateway on a backup does not try the dead primary first.
        String wanted = ctx.activePeers().get(key(t));
        if (wanted == null) {
          wanted = lastReportedPeer(status, me);
        }
        String chosen = wanted;
        active =
            peerDevices.stream()
                .filter(d -> d.device() != null && d.peer().equals(chosen))
                .findFirst()
                .orElse(
                    peerDevices.stream()
                        .filter(d -> d.device() != null)
                        .findFirst()
                        .orElse(primary));
        backups = new BackupPeers(peerDevices, active.peer());
      }
      if (active.device() == null) {
        return new TunnelPlan(
            id,
            role,
            spec.getType(),
            null,
            null,
            null,
            null,
            0,
            ks,
            active.problem(),
            null,
            null,
            backups);
      }
      TunnelDevice device = active.device();
      boolean remoteMembers = !egress || selected.stream().anyMatch(p -> !me.equals(p.nodeName()));
      VxlanHop hop = null;
      String hopProblem = null;
      if (remoteMembers) {
        if (!ctx.capabilities().vxlan()) {
          hopProblem =
              "this node's kernel has no VXLAN: pods on other nodes cannot reach this gateway";
        } else if (myIp == null) {
          hopProblem = "this node's InternalIP is unknown: pods on other nodes cannot reach it";
        } else {
          hop =
              new VxlanHop(
                  id.vxlanName(),
                  new Vxlan(id.vni(), myIp, null, ctx.vxlanPort()),
                  id.gatewayMac(),
                  vxlanMtu,
                  null,
                  id.gatewayMac(),
                  egress
                      ? remoteVteps(id, selected, nodes, me, carries6)
                      : siteVteps(id, nodes, me));
        }
      }
      if (ks != null && !ks.allowedDev().equals(device.name())) {
        ks = ks.withAllowedDev(device.name());
      }
      Routing routing =
          new Routing(
              device.name(),
              device.peerInner(),
              destinations,
              excluded,
              egress ? pods : List.of(),
              !egress,
              notCarried);
      Nat nat =
          egress
              ? new Nat.Snat(
                  device.name(),
                  device.address().ip(),
                  device.address6() == null ? null : device.address6().ip())
              : new Nat.IdentitySnat(
                  hop == null ? List.of(device.name()) : List.of(device.name(), hop.name()));
      String cachedView =
          snapshot.cachedKeys().contains(key(t))
              ? "keys from the agent's cache: the API server did not answer the GET of Secret "
                  + t.getMetadata().getName()
                  + "-keys"
              : null;
      return new TunnelPlan(
          id,
          role,
          spec.getType(),
          device,
          hop,
          routing,
          nat,
          mss,
          ks,
          hopProblem,
          inbound,
          cachedView,
          backups);
    }

    // Member or standby: only its own pods, through the VXLAN hop to the active gateway.
    List<Cidr> local =
        selected.stream()
            .filter(p -> me.equals(p.nodeName()))
            .flatMap(p -> steered(p, carries6).stream())
            .toList();
    if (egress && local.isEmpty()) {
      // Nothing to route yet; a selected pod still without an IP needs the kill switch's guard.
      // So does an IPv6-only one: its IPv6 is dropped here.
      KillSwitch guardOnly =
          !killSwitch || (guard == null && ipv6Here.isEmpty())
              ? null
              : new KillSwitch(
                  List.of(),
                  destinations,
                  excluded,
                  id.vxlanName(),
                  guard,
                  List.copyOf(ipv6Here),
                  ipv6PodsHere);
      return new TunnelPlan(id, role, spec.getType(), null, null, null, null, 0, guardOnly, null);
    }
    KillSwitch ks =
        killSwitch
            ? new KillSwitch(
                local,
                destinations,
                excluded,
                id.vxlanName(),
                guard,
                List.copyOf(ipv6Here),
                ipv6PodsHere)
            : null;
    NodeInfo gateway =
        status.getActiveGateway() == null ? null : nodes.get(status.getActiveGateway());
    String problem = null;
    if (gateway == null || gateway.internalIp() == null) {
      problem = "no active gateway with a known InternalIP yet";
    } else if (tunnelAddress == null) {
      problem = "waiting for the operator to allocate status.tunnelAddress";
    } else if (!ctx.capabilities().vxlan()) {
      problem = "this node's kernel has no VXLAN: its pods cannot reach the gateway";
    } else if (myIp == null) {
      problem = "this node's InternalIP is unknown";
    }
    if (problem != null) {
      return new TunnelPlan(id, role, spec.getType(), null, null, null, null, 0, ks, problem);
    }
    VxlanHop hop =
        new VxlanHop(
            id.vxlanName(),
            new Vxlan(id.vni(), myIp, gateway.internalIp(), ctx.vxlanPort()),
            id.memberMac(me),
            vxlanMtu,
            tunnelAddress.ip(),
            id.gatewayMac(),
            List.of());
    Routing routing =
        new Routing(
            hop.name(),
            hop.nexthop(),
            destinations,
            excluded,
            egress ? local : List.of(),
            !egress,
            notCarried);
    Nat nat = new Nat.IdentitySnat(List.of(hop.name()));
    return new TunnelPlan(
        id, role, spec.getType(), null, hop, routing, nat, mss, ks, null, inbound);
  }

  /**
   * Defence in depth behind the operator's refusal: a remote CIDR overlapping this cluster's own
   * ranges (service CIDRs, Node pod CIDRs, Node addresses) would send every node's traffic for
   * them, the kubelet's and this agent's own included, to the far side. Only this Tunnel fails.
   */
  private static void refuseClusterOverlap(List<Cidr> remote, List<Cidr> cluster) {
    for (Cidr r : remote) {
      for (Cidr c : cluster) {
        if (r.contains(c) || c.contains(r)) {
          throw new IllegalArgumentException(
              "spec.siteToSite.remoteCIDRs: "
                  + r
                  + " overlaps this cluster's own range "
                  + c
                  + "; routing it to the far side would cut the nodes off from it");
        }
      }
    }
  }

  /**
   * What the far side may send in: egress only replies; site-to-site also new connections from its
   * CIDRs ({@code remoteCIDRs}) to this cluster's ({@code localCIDRs}, else every Node's pod CIDRs,
   * what the peer config offers it). The VXLAN port takes only other Nodes' InternalIPs.
   */
  private static Inbound inbound(
      TunnelSpec spec,
      boolean egress,
      List<Cidr> destinations,
      Map<String, NodeInfo> nodes,
      String me) {
    List<Cidr> vxlanSources = new ArrayList<>();
    List<Cidr> podCidrs = new ArrayList<>();
    for (NodeInfo n : new TreeMap<>(nodes).values()) {
      podCidrs.addAll(Cidrs.parseAll(n.podCidrs()));
      if (!me.equals(n.name()) && n.internalIp() != null) {
        vxlanSources.addAll(Cidrs.parseAll(List.of(n.internalIp())));
      }
    }
    if (egress) {
      return new Inbound(List.of(), List.of(), Cidrs.collapse(vxlanSources));
    }
    List<String> local = spec.getSiteToSite() == null ? null : spec.getSiteToSite().getLocalCIDRs();
    List<Cidr> offered = local == null || local.isEmpty() ? podCidrs : Cidrs.parseAll(local);
    return new Inbound(
        Cidrs.collapse(destinations), Cidrs.collapse(offered), Cidrs.collapse(vxlanSources));
  }

  /**
   * The member nodes with selected pods, for the gateway's replies over the hop. A node whose
   * InternalIP is unknown cannot be reached over the hop: its pods' replies take the pod network.
   */
  private static List<RemoteVtep> remoteVteps(
      TunnelId id,
      List<PodInfo> selected,
      Map<String, NodeInfo> nodes,
      String me,
      boolean carries6) {
    Map<String, List<Cidr>> podsByNode = new TreeMap<>();
    for (PodInfo p : selected) {
      NodeInfo node = nodes.get(p.nodeName());
      if (!me.equals(p.nodeName()) && node != null && node.internalIp() != null) {
        podsByNode
            .computeIfAbsent(p.nodeName(), n -> new ArrayList<>())
            .addAll(steered(p, carries6));
      }
    }
    List<RemoteVtep> vteps = new ArrayList<>();
    podsByNode.forEach(
        (node, pods) ->
            vteps.add(new RemoteVtep(nodes.get(node).internalIp(), id.memberMac(node), pods)));
    return vteps;
  }

  /**
   * Site-to-site: every other node with pod CIDRs, whose pods the far side reaches over the hop. A
   * node whose InternalIP is unknown cannot be reached over the hop: its pods take the pod network.
   */
  private static List<RemoteVtep> siteVteps(TunnelId id, Map<String, NodeInfo> nodes, String me) {
    Map<String, NodeInfo> byName = new TreeMap<>(nodes);
    List<RemoteVtep> vteps = new ArrayList<>();
    byName.forEach(
        (name, node) -> {
          if (!me.equals(name) && node.internalIp() != null && !node.podCidrs().isEmpty()) {
            vteps.add(
                new RemoteVtep(
                    node.internalIp(), id.memberMac(name), Cidrs.parseAll(node.podCidrs())));
          }
        });
    return vteps;
  }

  /** The peer this node reported in use in its status entry, or null. */
  private static String lastReportedPeer(TunnelStatus status, String me) {
    if (status.getNodes() == null) {
      return null;
    }
    return status.getNodes().stream()
        .filter(n -> me.equals(n.getName()))
        .map(n -> n.getActivePeer())
        .filter(p -> p != null && !p.isBlank())
        .findFirst()
        .orElse(null);
  }

  /** The status.peerPaths entry of a backup peer (its addresses), or null. */
  private static PeerPathStatus peerPath(TunnelStatus status, String name) {
    if (status.getPeerPaths() == null) {
      return null;
    }
    return status.getPeerPaths().stream()
        .filter(p -> name.equals(p.getName()))
        .findFirst()
        .orElse(null);
  }

  /**
   * The device towards one peer: the primary's is named as every Tunnel's device, a backup's gets
   * its priority as a suffix ({@code tnl-1a2b3c4d-1}, within Linux's 15 characters).
   */
  private static PeerDevice peerDevice(
      Tunnel t,
      TunnelId id,
      TunnelPeers.Peer peer,
      DatapathChoice.Result choice,
      Cidr local,
      Cidr remote,
      Cidr local6,
      int mtu,
      Encapsulation encap,
      TunnelKeys keys) {
    String name = peer.primary() ? id.deviceName() : id.deviceName() + "-" + peer.priority();
    String problem = null;
    DatapathConfig config = null;
    if (choice.problem() != null) {
      problem = choice.problem();
    } else if (local == null || remote == null) {
      problem =
          peer.primary()
              ? "waiting for the operator to allocate status.tunnelAddress and status.peerAddress"
              : "waiting for the operator to allocate the addresses of backup peer "
                  + peer.name()
                  + " (status.peerPaths)";
    } else {
      try {
        config = datapathConfig(t, name, peer, mtu, encap, keys);
      } catch (IllegalArgumentException | IllegalStateException e) {
        problem = e.getMessage();
      }
    }
    if (problem != null) {
      return new PeerDevice(peer.name(), peer.priority(), null, problem);
    }
    return new PeerDevice(
        peer.name(),
        peer.priority(),
        new TunnelDevice(
            name, local, remote.ip(), mtu, choice.datapath(), choice.reason(), config, local6),
        null);
  }

  private static DatapathConfig datapathConfig(
      Tunnel t,
      String deviceName,
      TunnelPeers.Peer tunnelPeer,
      int mtu,
      Encapsulation encap,
      TunnelKeys keys) {
    PeerSpec peer = tunnelPeer.spec();
    String field =
        tunnelPeer.primary() ? "spec.peer" : "spec.backupPeers[" + tunnelPeer.name() + "]";
    if (peer == null || peer.getEndpoint() == null) {
      throw new IllegalArgumentException(field + ".endpoint is missing");
    }
    HostPort endpoint;
    try {
      endpoint = HostPort.parse(peer.getEndpoint());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ".endpoint " + e.getMessage(), e);
    }
    int keepalive = peer.getKeepaliveSeconds() == null ? 25 : peer.getKeepaliveSeconds();
    if (encap == Encapsulation.WIREGUARD) {
      if (keys == null || keys.privateKey() == null) {
        throw new IllegalStateException(
            "Secret " + t.getMetadata().getName() + "-keys has no privateKey (yet)");
      }
      byte[] peerKey;
      try {
        peerKey =
            peer.getPublicKey() != null && !peer.getPublicKey().isBlank()
                ? DatapathConfigs.key(peer.getPublicKey())
                : tunnelPeer.primary()
                    ? keys.peerPublicKey()
                    : keys.backupPeerKeys().get(tunnelPeer.name());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field + ".publicKey is not base64", e);
      }
      if (peerKey == null) {
        String secret =
            tunnelPeer.primary()
                ? t.getMetadata().getName() + "-keys (peerPublicKey)"
                : TunnelPeers.configSecretName(t.getMetadata().getName(), tunnelPeer.name())
                    + " (peerPublicKey)";
        throw new IllegalStateException(
            "the peer's public key is neither in " + field + ".publicKey nor in Secret " + secret);
      }
      // Site-to-site: the other cluster connects to us on the same port; egress: ephemeral.
      int listenPort = t.getSpec().getType() == TunnelType.SITE_TO_SITE ? endpoint.port() : 0;
      InetSocketAddress peerAddress = DatapathConfigs.socketAddress(endpoint, 51820);
      return new DatapathConfig.WireGuard(
          deviceName, mtu, keys.privateKey(), peerKey, null, listenPort, peerAddress, keepalive);
    }
    InetSocketAddress peerAddress =
        DatapathConfigs.socketAddress(endpoint, DatapathConfigs.GRE_UDP_PORT);
    return DatapathConfigs.gre(
        deviceName, mtu, encap, null, peerAddress, GreKeys.effective(t, tunnelPeer));
  }

  private static String firstNonBlank(String a, String b) {
    return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
  }

  /**
   * The addresses of a selected pod that egress steers: its IPv4, and its IPv6 but link-local when
   * the Tunnel carries IPv6.
   */
  private static List<Cidr> steered(PodInfo p, boolean carries6) {
    List<Cidr> out = new ArrayList<>();
    if (p.ip() != null && !p.ip().isBlank()) {
      out.add(Cidr.parseIpv4(p.ip()));
    }
    if (carries6) {
      for (String a : p.ipv6()) {
        Cidr c = Cidr.parseAddress(a);
        if (!c.isLinkLocal()) {
          out.add(c);
        }
      }
    }
    return out;
  }

  /** A running IPv6-only pod of its own (no IPv4 is coming), steered when egress carries IPv6. */
  private static boolean ipv6Steerable(PodInfo p) {
    return p.nodeName() != null
        && !p.hostNetwork()
        && !p.finished()
        && p.ipv6().stream().anyMatch(a -> !Cidr.parseAddress(a).isLinkLocal());
  }

  private static Cidr parseOrNull(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return Cidr.parse(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
