package io.tunnelier.operator.peer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.tunnelier.api.peerconfig.GreKeys;
import io.tunnelier.api.peerconfig.HostPort;
import io.tunnelier.api.peerconfig.StandaloneConfig;
import io.tunnelier.api.peerconfig.StandaloneTunnel;
import io.tunnelier.api.peerconfig.WgQuickConfig;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.TunnelSpec;
import io.tunnelier.api.v1alpha1.TunnelType;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders what the far end needs to come up: {@code peer.yaml} for the standalone agent, {@code
 * wg0.conf} for stock WireGuard, and {@code peerPublicKey}. Pure.
 */
public final class PeerConfigRenderer {
  public static final String PEER_YAML = "peer.yaml";
  public static final String WG_QUICK = "wg0.conf";
  public static final String PEER_PUBLIC_KEY = "peerPublicKey";

  private static final ObjectMapper YAML =
      new ObjectMapper(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private PeerConfigRenderer() {}

  /** The Secret's data, as text (not yet base64). */
  public static Map<String, String> render(PeerConfigInputs in) {
    Map<String, String> data = new LinkedHashMap<>();
    StandaloneTunnel peer = standaloneTunnel(in);
    StandaloneConfig config = new StandaloneConfig();
    config.setTunnels(List.of(peer));
    data.put(PEER_YAML, toYaml(config));
    if (in.tunnel().getSpec().getEncapsulation() == Encapsulation.WIREGUARD) {
      data.put(WG_QUICK, wgQuick(in, peer).render(wgQuickComment(peer, in)));
      data.put(PEER_PUBLIC_KEY, in.peerKeys().publicKey());
    }
    return data;
  }

  /** The far end's view of the tunnel. */
  static StandaloneTunnel standaloneTunnel(PeerConfigInputs in) {
    TunnelSpec spec = in.tunnel().getSpec();
    Encapsulation encapsulation =
        spec.getEncapsulation() == null ? Encapsulation.WIREGUARD : spec.getEncapsulation();
    StandaloneTunnel t = new StandaloneTunnel();
    t.setName(in.tunnel().getMetadata().getNamespace() + "/" + in.tunnel().getMetadata().getName());
    t.setType(spec.getType());
    t.setEncapsulation(encapsulation);
    t.setListen(HostPort.parse(in.peer().spec().getEndpoint()).anyAddress().toString());
    if (encapsulation == Encapsulation.WIREGUARD) {
      t.setPrivateKey(in.peerKeys().privateKey());
      t.setPeerPublicKey(in.clusterPublicKey());
    } else {
      // A backup's own key: its tunnel and the primary's may end on the same gateway at once.
      t.setGreKey(GreKeys.effective(in.tunnel(), in.peer()));
      if (in.allowedSources() != null && !in.allowedSources().isEmpty()) {
        t.setAllowedSources(List.copyOf(in.allowedSources()));
      }
    }
    t.setKeepaliveSeconds(in.peer().spec().getKeepaliveSeconds());
    t.setAddress(in.addresses().peer().toString());
    t.setPeerAddress(in.addresses().local().toString());
    if (in.addresses6() != null) {
      t.setAddress6(in.addresses6().peer().toString());
      t.setPeerAddress6(in.addresses6().local().toString());
    }
    if (spec.getMtu() != null && spec.getMtu() > 0) {
      t.setMtu(spec.getMtu());
    }
    List<String> routes = routes(in);
    t.setRoutes(routes.isEmpty() ? null : routes);
    t.setMssClamp(spec.getMssClamp());
    return t;
  }

  /**
   * What the far end routes into the tunnel besides the cluster side's inner address: for
   * SiteToSite this cluster's CIDRs; for Egress nothing (the gateway masquerades the pods' traffic
   * to its inner address, which is on the tunnel's own subnet).
   */
  static List<String> routes(PeerConfigInputs in) {
    if (in.tunnel().getSpec().getType() != TunnelType.SITE_TO_SITE) {
      return List.of();
    }
    List<String> local = in.tunnel().getSpec().getSiteToSite().getLocalCIDRs();
    if (local != null && !local.isEmpty()) {
      return List.copyOf(local);
    }
    return in.localCidrs() == null ? List.of() : List.copyOf(in.localCidrs());
  }

  static WgQuickConfig wgQuick(PeerConfigInputs in, StandaloneTunnel peer) {
    List<String> allowed = new ArrayList<>();
    allowed.add(in.addresses().local().ip() + "/32");
    List<String> addresses = new ArrayList<>(List.of(in.addresses().peer().toString()));
    if (in.addresses6() != null) {
      allowed.add(in.addresses6().local().ip() + "/128");
      addresses.add(in.addresses6().peer().toString());
    }
    if (peer.getRoutes() != null) {
      allowed.addAll(peer.getRoutes());
    }
    Integer keepalive = in.peer().spec().getKeepaliveSeconds();
    HostPort endpoint = HostPort.parse(in.peer().spec().getEndpoint());
    return new WgQuickConfig(
        in.peerKeys().privateKey(),
        addresses,
        endpoint.hasPort() ? endpoint.port() : null,
        peer.getMtu(),
        new WgQuickConfig.Peer(
            in.clusterPublicKey(),
            null,
            null,
            allowed,
            keepalive != null && keepalive > 0 ? keepalive : null));
  }

  static List<String> wgQuickComment(StandaloneTunnel peer, PeerConfigInputs in) {
    List<String> comment = new ArrayList<>();
    comment.add("Tunnelier " + peer.getName() + ": the far end, for stock WireGuard.");
    comment.add("Install as /etc/wireguard/wg0.conf and run: wg-quick up wg0");
    comment.add("No Endpoint: the cluster side may be behind NAT; it connects to this end.");
    if (!in.peer().primary()) {
      comment.add(
          "Backup peer "
              + in.peer().name()
              + ": the gateway fails over to this VPS while the peers before it are unhealthy.");
    }
    if (in.tunnel().getSpec().getType() == TunnelType.EGRESS) {
      comment.add(
          in.addresses6() == null
              ? "Egress: enable IPv4 forwarding and masquerade traffic from wg0 out of the public"
                  + " interface."
              : "Egress: enable IPv4 and IPv6 forwarding and masquerade traffic from wg0 out of"
                  + " the public interface, for both families.");
    }
    return comment;
  }

  private static String toYaml(StandaloneConfig config) {
    try {
      return YAML.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The far end's private key from a {@code peer.yaml} this class rendered; null when absent. */
  public static String peerPrivateKey(String peerYaml) {
    try {
      StandaloneConfig config = YAML.readValue(peerYaml, StandaloneConfig.class);
      if (config == null || config.getTunnels() == null || config.getTunnels().isEmpty()) {
        return null;
      }
      return config.getTunnels().get(0).getPrivateKey();
    } catch (JsonProcessingException e) {
      // Not chained: the parser's message quotes the text, which holds a private key.
      throw new IllegalArgumentException("peer.yaml cannot be read back");
    }
  }
}
