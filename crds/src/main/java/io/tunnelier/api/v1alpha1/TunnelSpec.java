package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** What the user wants: see docs/api.md for the meaning of every field. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TunnelSpec {
  @Required
  @ValidationRule(
      value = "self == oldSelf",
      message = "type cannot change: create a new Tunnel instead")
  @JsonPropertyDescription("Egress (selected pods leave through a VPS) or SiteToSite.")
  private TunnelType type;

  @Default("WireGuard")
  @JsonPropertyDescription("WireGuard (encrypted), GRE (IP protocol 47) or GREoverUDP (RFC 8086).")
  private Encapsulation encapsulation;

  @Default("Auto")
  @JsonPropertyDescription(
      "Auto: the kernel device when the node has it, else userspace over TUN. Kernel or"
          + " Userspace force one.")
  private DatapathMode datapath;

  @Required
  @JsonPropertyDescription("The far end: a VPS egress point, or the remote cluster's gateway.")
  private PeerSpec peer;

  @MapListKeys("name")
  @io.fabric8.generator.annotation.Size(max = 3)
  @JsonPropertyDescription(
      "Type Egress only: VPS to fail over to, in order, when spec.peer and the ones before are"
          + " unhealthy. Each has its own inner addresses and peer config Secret.")
  private java.util.List<BackupPeerSpec> backupPeers;

  @JsonPropertyDescription("Nodes that may terminate the tunnel; one is active, the rest standby.")
  private GatewaySpec gateway;

  @ValidationRule(
      value = "self == '' || (isCIDR(self) && cidr(self).ip().family() == 4)",
      message = "address must be an IPv4 address with prefix length, such as 100.96.0.2/31")
  @ValidationRule(
      value = "!isCIDR(self) || cidr(self).prefixLength() == 31",
      message =
          "address must be one address of a /31 pair, such as 100.96.0.2/31: the peer has the"
              + " other one, and any other prefix would route more or less than the peer into the"
              + " tunnel")
  @ValidationRule(
      value =
          "!isCIDR(self) || !"
              + SpecialRanges.LOOPBACK
              + ".exists(r, cidr(r).containsIP(cidr(self).ip()))",
      message =
          "address may not be loopback (127.0.0.0/8): the node itself or its link owns those addresses")
  @ValidationRule(
      value =
          "!isCIDR(self) || !"
              + SpecialRanges.UNSPECIFIED
              + ".exists(r, cidr(r).containsIP(cidr(self).ip()))",
      message =
          "address may not be in 0.0.0.0/8 (this network): the node itself or its link owns those addresses")
  @ValidationRule(
      value =
          "!isCIDR(self) || !"
              + SpecialRanges.LINK_LOCAL
              + ".exists(r, cidr(r).containsIP(cidr(self).ip()))",
      message =
          "address may not be link-local (169.254.0.0/16): the node itself or its link owns those addresses")
  @ValidationRule(
      value =
          "!isCIDR(self) || !"
              + SpecialRanges.MULTICAST
              + ".exists(r, cidr(r).containsIP(cidr(self).ip()))",
      message =
          "address may not be multicast (224.0.0.0/4): the node itself or its link owns those addresses")
  @ValidationRule(
      value =
          "!isCIDR(self) || !"
              + SpecialRanges.RESERVED
              + ".exists(r, cidr(r).containsIP(cidr(self).ip()))",
      message =
          "address may not be in reserved 240.0.0.0/4 (with broadcast 255.255.255.255): the node itself or its link owns those addresses")
  @io.fabric8.generator.annotation.Size(max = 18)
  @JsonPropertyDescription(
      "Inner address of this end, such as 100.96.0.2/31. Empty: allocated by the operator from"
          + " addressPool; for SiteToSite over WireGuard derived from both public keys in"
          + " siteToSiteAddressPool. Required for SiteToSite over GRE or GREoverUDP (this end of a"
          + " /31, the other cluster's Tunnel the other end).")
  private String address;

  @JsonPropertyDescription("Type Egress only: which pods, to which destinations.")
  private EgressSpec egress;

  @JsonPropertyDescription("Type SiteToSite only: the CIDRs on each side.")
  private SiteToSiteSpec siteToSite;

  @Default("0")
  @ValidationRule(
      value = "self == 0 || (self >= 576 && self <= 9000)",
      message =
          "mtu must be 0 (automatic: underlay MTU minus encapsulation overhead) or" + " 576..9000")
  @JsonPropertyDescription("Tunnel MTU; 0: automatic (underlay MTU minus encapsulation overhead).")
  private Integer mtu;

  @Default("true")
  @JsonPropertyDescription("Clamp TCP MSS to the tunnel MTU, both directions.")
  private Boolean mssClamp;

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

  public DatapathMode getDatapath() {
    return datapath;
  }

  public void setDatapath(DatapathMode datapath) {
    this.datapath = datapath;
  }

  public PeerSpec getPeer() {
    return peer;
  }

  public void setPeer(PeerSpec peer) {
    this.peer = peer;
  }

  public java.util.List<BackupPeerSpec> getBackupPeers() {
    return backupPeers;
  }

  public void setBackupPeers(java.util.List<BackupPeerSpec> backupPeers) {
    this.backupPeers = backupPeers;
  }

  public GatewaySpec getGateway() {
    return gateway;
  }

  public void setGateway(GatewaySpec gateway) {
    this.gateway = gateway;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public EgressSpec getEgress() {
    return egress;
  }

  public void setEgress(EgressSpec egress) {
    this.egress = egress;
  }

  public SiteToSiteSpec getSiteToSite() {
    return siteToSite;
  }

  public void setSiteToSite(SiteToSiteSpec siteToSite) {
    this.siteToSite = siteToSite;
  }

  public Integer getMtu() {
    return mtu;
  }

  public void setMtu(Integer mtu) {
    this.mtu = mtu;
  }

  public Boolean getMssClamp() {
    return mssClamp;
  }

  public void setMssClamp(Boolean mssClamp) {
    this.mssClamp = mssClamp;
  }
}
