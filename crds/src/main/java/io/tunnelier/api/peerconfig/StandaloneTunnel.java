package io.tunnelier.api.peerconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.TunnelType;
import java.util.List;

/**
 * One tunnel as the far end sees it. For an Egress tunnel the far end is the VPS: it accepts
 * encapsulated packets from the cluster's active gateway (whose address it learns from the first
 * valid packet, so gateway failover needs no VPS change), routes {@code routes} back through the
 * tunnel, and masquerades everything else out of its public interface. For SiteToSite it routes
 * {@code routes} (the cluster's pod CIDRs) through the tunnel and nothing is masqueraded.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StandaloneTunnel {
  /** {@code <namespace>/<name>} of the Tunnel it mirrors; used in logs and device names. */
  private String name;

  private TunnelType type;
  private Encapsulation encapsulation;

  /** Where to listen: {@code [address]:port} for WireGuard and GREoverUDP; address for GRE. */
  private String listen;

  /**
   * The cluster side's endpoint ({@code host:port}), or empty to learn it from the first valid
   * packet (the usual case: the cluster's gateway may sit behind NAT and may fail over).
   */
  private String peerEndpoint;

  /** WireGuard: this end's private key, base64. Lives only in the peer-config Secret. */
  private String privateKey;

  /** WireGuard: the cluster side's public key, base64. */
  private String peerPublicKey;

  /** GRE/GREoverUDP: the RFC 2890 key both ends put on every packet. */
  private Long greKey;

  /**
   * GRE/GREoverUDP without a peerEndpoint: the only underlay sources (IPv4 CIDRs) the cluster's
   * gateway may speak from, i.e. from which the VPS learns its peer. Empty or absent: any source (a
   * stranger who knows the greKey could then take the tunnel over).
   */
  private List<String> allowedSources;

  private Integer keepaliveSeconds;

  /** This end's inner address with prefix, e.g. {@code 100.96.0.3/31}. */
  private String address;

  /** The cluster side's inner address with prefix, e.g. {@code 100.96.0.2/31}. */
  private String peerAddress;

  /**
   * Egress carrying IPv6: this end's IPv6 inner address with prefix, e.g. {@code
   * fd00:7475:6e6e::6460:3/127}; with {@code peerAddress6}, or neither.
   */
  private String address6;

  /** The cluster side's IPv6 inner address with prefix, e.g. {@code fd00:7475:6e6e::6460:2/127}. */
  private String peerAddress6;

  /** Tunnel MTU; 0 or absent: underlay MTU minus the encapsulation overhead. */
  private Integer mtu;

  /** CIDRs routed into the tunnel (toward the cluster). */
  private List<String> routes;

  /** Egress: masquerade traffic from the tunnel out of this interface (absent: default route's). */
  private String masqueradeInterface;

  private Boolean mssClamp;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public TunnelType getType() {
    return type;
  }

  public void setType(TunnelType type) {
    this.type = type;
  }

  public Encapsulation getEncapsulation() {
    return encapsulation;
  }

  public void setEncapsulation(Encapsulation encapsulation) {
    this.encapsulation = encapsulation;
  }

  public String getListen() {
    return listen;
  }

  public void setListen(String listen) {
    this.listen = listen;
  }

  public String getPeerEndpoint() {
    return peerEndpoint;
  }

  public void setPeerEndpoint(String peerEndpoint) {
    this.peerEndpoint = peerEndpoint;
  }

  public String getPrivateKey() {
    return privateKey;
  }

  public void setPrivateKey(String privateKey) {
    this.privateKey = privateKey;
  }

  public String getPeerPublicKey() {
    return peerPublicKey;
  }

  public void setPeerPublicKey(String peerPublicKey) {
    this.peerPublicKey = peerPublicKey;
  }

  public Long getGreKey() {
    return greKey;
  }

  public void setGreKey(Long greKey) {
    this.greKey = greKey;
  }

  public List<String> getAllowedSources() {
    return allowedSources;
  }

  public void setAllowedSources(List<String> allowedSources) {
    this.allowedSources = allowedSources;
  }

  public Integer getKeepaliveSeconds() {
    return keepaliveSeconds;
  }

  public void setKeepaliveSeconds(Integer keepaliveSeconds) {
    this.keepaliveSeconds = keepaliveSeconds;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public String getPeerAddress() {
    return peerAddress;
  }

  public void setPeerAddress(String peerAddress) {
    this.peerAddress = peerAddress;
  }

  public String getAddress6() {
    return address6;
  }

  public void setAddress6(String address6) {
    this.address6 = address6;
  }

  public String getPeerAddress6() {
    return peerAddress6;
  }

  public void setPeerAddress6(String peerAddress6) {
    this.peerAddress6 = peerAddress6;
  }

  public Integer getMtu() {
    return mtu;
  }

  public void setMtu(Integer mtu) {
    this.mtu = mtu;
  }

  public List<String> getRoutes() {
    return routes;
  }

  public void setRoutes(List<String> routes) {
    this.routes = routes;
  }

  public String getMasqueradeInterface() {
    return masqueradeInterface;
  }

  public void setMasqueradeInterface(String masqueradeInterface) {
    this.masqueradeInterface = masqueradeInterface;
  }

  public Boolean getMssClamp() {
    return mssClamp;
  }

  public void setMssClamp(Boolean mssClamp) {
    this.mssClamp = mssClamp;
  }

  @Override
  public String toString() {
    // Never print the private key.
    return "StandaloneTunnel["
        + name
        + ", "
        + type
        + ", "
        + encapsulation
        + ", listen="
        + listen
        + "]";
  }
}
