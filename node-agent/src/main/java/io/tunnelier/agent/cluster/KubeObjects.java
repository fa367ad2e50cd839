package io.tunnelier.agent.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSpecBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.tunnelier.agent.plan.NodeInfo;
import io.tunnelier.agent.plan.PodInfo;
import io.tunnelier.agent.plan.TunnelKeys;
import io.tunnelier.api.informers.PruningItemStore;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reduces Kubernetes objects to the little the planner needs: {@link #node} and {@link #pod} read
 * it, {@link #pruneNode}, {@link #prunePod} and {@link #pruneTunnel} keep it (and nothing more) in
 * the informers' stores. A field the planner or {@link TunnelChanges} reads must be kept here.
 */
public final class KubeObjects {
  /** Data keys of the operator's {@code <name>-keys} Secret. */
  public static final String PRIVATE_KEY = "privateKey";

  public static final String PEER_PUBLIC_KEY = "peerPublicKey";

  private KubeObjects() {}

  public static NodeInfo node(Node n) {
    String internal = null;
    String internal6 = null;
    if (n.getStatus() != null && n.getStatus().getAddresses() != null) {
      for (NodeAddress a : n.getStatus().getAddresses()) {
        if (!"InternalIP".equals(a.getType()) || a.getAddress() == null) {
          continue;
        }
        if (!a.getAddress().contains(":")) {
          internal = internal == null ? a.getAddress() : internal;
        } else if (internal6 == null) {
          internal6 = a.getAddress();
        }
      }
    }
    List<String> cidrs = new ArrayList<>();
    if (n.getSpec() != null) {
      if (n.getSpec().getPodCIDRs() != null && !n.getSpec().getPodCIDRs().isEmpty()) {
        cidrs.addAll(n.getSpec().getPodCIDRs());
      } else if (n.getSpec().getPodCIDR() != null) {
        cidrs.add(n.getSpec().getPodCIDR());
      }
    }
    return new NodeInfo(n.getMetadata().getName(), internal, cidrs, internal6);
  }

  /** What the Node informer keeps of a node: what {@link #node} reads. Pure. */
  public static Node pruneNode(Node n) {
    return new NodeBuilder()
        .withApiVersion(n.getApiVersion())
        .withKind(n.getKind())
        .withMetadata(PruningItemStore.identity(n.getMetadata()).build())
        .withSpec(
            n.getSpec() == null
                ? null
                : new NodeSpecBuilder()
                    .withPodCIDR(n.getSpec().getPodCIDR())
                    .withPodCIDRs(n.getSpec().getPodCIDRs())
                    .build())
        .withStatus(
            n.getStatus() == null
                ? null
                : new NodeStatusBuilder().withAddresses(n.getStatus().getAddresses()).build())
        .build();
  }

  /**
   * What the Tunnel informer of node {@code nodeName}'s agent keeps of a Tunnel: the spec; the
   * identity, generation, creation and deletion; the operator's status fields the plans read; and
   * of {@code status.nodes[]} this node's entry only, with only its active peer. Every node writes
   * an entry (and, as its own field manager, a managedFields entry) into every Tunnel it serves, so
   * kept in full each agent's cache would grow with Tunnels times nodes, not with Tunnels. Pure;
   * the spec is shared with {@code t}, which the informer hands on and no one changes.
   */
  public static Tunnel pruneTunnel(Tunnel t, String nodeName) {
    ObjectMeta m = t.getMetadata();
    Tunnel kept = new Tunnel();
    kept.setApiVersion(t.getApiVersion());
    kept.setKind(t.getKind());
    kept.setMetadata(
        PruningItemStore.identity(m)
            .withGeneration(m.getGeneration())
            .withCreationTimestamp(m.getCreationTimestamp())
            .withDeletionTimestamp(m.getDeletionTimestamp())
            .build());
    kept.setSpec(t.getSpec());
    kept.setStatus(t.getStatus() == null ? null : pruneStatus(t.getStatus(), nodeName));
    return kept;
  }

  private static TunnelStatus pruneStatus(TunnelStatus s, String nodeName) {
    TunnelStatus kept = new TunnelStatus();
    kept.setActiveGateway(s.getActiveGateway());
    kept.setStandbyGateways(s.getStandbyGateways());
    kept.setPublicKey(s.getPublicKey());
    kept.setTunnelAddress(s.getTunnelAddress());
    kept.setPeerAddress(s.getPeerAddress());
    kept.setTunnelAddress6(s.getTunnelAddress6());
    kept.setPeerAddress6(s.getPeerAddress6());
    kept.setMtu(s.getMtu());
    kept.setPeerPaths(s.getPeerPaths());
    if (s.getNodes() != null) {
      List<NodeStatus> mine = new ArrayList<>(1);
      for (NodeStatus n : s.getNodes()) {
        if (nodeName.equals(n.getName())) {
          NodeStatus entry = new NodeStatus();
          entry.setName(n.getName());
          entry.setActivePeer(n.getActivePeer());
          mine.add(entry);
        }
      }
      kept.setNodes(mine);
    }
    return kept;
  }

  /** What a Pod informer keeps of a pod: what {@link #pod} reads. Pure. */
  public static Pod prunePod(Pod p) {
    ObjectMeta m = p.getMetadata();
    return new PodBuilder()
        .withApiVersion(p.getApiVersion())
        .withKind(p.getKind())
        .withMetadata(PruningItemStore.labelled(m).build())
        .withSpec(
            p.getSpec() == null
                ? null
                : new PodSpecBuilder()
                    .withNodeName(p.getSpec().getNodeName())
                    .withHostNetwork(p.getSpec().getHostNetwork())
                    .build())
        .withStatus(
            p.getStatus() == null
                ? null
                : new PodStatusBuilder()
                    .withPhase(p.getStatus().getPhase())
                    .withPodIP(p.getStatus().getPodIP())
                    .withPodIPs(p.getStatus().getPodIPs())
                    .build())
        .build();
  }

  public static PodInfo pod(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    boolean hostNetwork = p.getSpec() != null && Boolean.TRUE.equals(p.getSpec().getHostNetwork());
    return new PodInfo(
        p.getMetadata().getNamespace(),
        p.getMetadata().getName(),
        p.getMetadata().getLabels(),
        ipv4(p),
        p.getSpec() == null ? null : p.getSpec().getNodeName(),
        hostNetwork,
        "Succeeded".equals(phase) || "Failed".equals(phase),
        p.getMetadata().getDeletionTimestamp() != null,
        ipv6(p),
        p.getMetadata().getUid());
  }

  /** A pod's IPv4 address: {@code status.podIP}, or (IPv6-primary dual stack) from podIPs. */
  private static String ipv4(Pod p) {
    if (p.getStatus() == null) {
      return null;
    }
    String ip = p.getStatus().getPodIP();
    if (ip != null && !ip.isBlank() && !ip.contains(":")) {
      return ip;
    }
    if (p.getStatus().getPodIPs() != null) {
      for (PodIP a : p.getStatus().getPodIPs()) {
        if (a.getIp() != null && !a.getIp().isBlank() && !a.getIp().contains(":")) {
          return a.getIp();
        }
      }
    }
    return null;
  }

  /** A pod's IPv6 addresses ({@code status.podIPs}, and {@code status.podIP} when IPv6). */
  private static List<String> ipv6(Pod p) {
    if (p.getStatus() == null) {
      return List.of();
    }
    java.util.Set<String> out = new java.util.TreeSet<>();
    ipv6(p.getStatus().getPodIP()).ifPresent(out::add);
    if (p.getStatus().getPodIPs() != null) {
      for (PodIP a : p.getStatus().getPodIPs()) {
        ipv6(a.getIp()).ifPresent(out::add);
      }
    }
    return List.copyOf(out);
  }

  /** Canonical text (as nft prints set elements) when {@code text} is an IPv6 address. */
  private static Optional<String> ipv6(String text) {
    try {
      Cidr a = Cidr.parseAddress(text);
      // IPv4-mapped: the kill switch's IPv4 side covers it
      return a.isIpv6() && !a.isIpv4Mapped() ? Optional.of(a.ip()) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The peer's public key from the operator's {@code <name>-peer-config} Secret (data key {@code
   * peerPublicKey}); only that key is read from it.
   */
  public static byte[] peerPublicKey(Secret peerConfig) {
    return key(peerConfig, PEER_PUBLIC_KEY);
  }

  /** The keys in a {@code <name>-keys} Secret (data values: base64 of the base64 key text). */
  public static TunnelKeys keys(Secret s) {
    return new TunnelKeys(key(s, PRIVATE_KEY), key(s, PEER_PUBLIC_KEY));
  }

  private static byte[] key(Secret s, String name) {
    // The key's base64 text stays in a byte[] this method owns (not a String), so it can be wiped.
    byte[] text = null;
    if (s.getData() != null && s.getData().get(name) != null) {
      try {
        text = Base64.getDecoder().decode(s.getData().get(name));
      } catch (IllegalArgumentException e) {
        return null; // reported as "no privateKey" by the planner; never echo the value
      }
    } else if (s.getStringData() != null && s.getStringData().get(name) != null) {
      text = s.getStringData().get(name).getBytes(StandardCharsets.US_ASCII);
    }
    return text == null ? null : decodeKey(text);
  }

  /**
   * The 32 raw bytes of a key in base64 text (surrounding whitespace ignored), or null when it is
   * not one; {@code text} and every copy made on the way are wiped, as is a decoded value of the
   * wrong length.
   */
  static byte[] decodeKey(byte[] text) {
    int from = 0;
    int to = text.length;
    while (from < to && Character.isWhitespace((char) (text[from] & 0xff))) {
      from++;
    }
    while (to > from && Character.isWhitespace((char) (text[to - 1] & 0xff))) {
      to--;
    }
    byte[] trimmed = Arrays.copyOfRange(text, from, to);
    Arrays.fill(text, (byte) 0);
    try {
      if (trimmed.length == 0) {
        return null;
      }
      byte[] raw = Base64.getDecoder().decode(trimmed);
      if (raw.length == 32) {
        return raw;
      }
      Arrays.fill(raw, (byte) 0);
      return null;
    } catch (IllegalArgumentException e) {
      return null; // reported as "no privateKey" by the planner; never echo the value
    } finally {
      Arrays.fill(trimmed, (byte) 0);
    }
  }
}
