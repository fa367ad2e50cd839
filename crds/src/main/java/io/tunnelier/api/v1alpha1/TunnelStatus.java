package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * What the operator and the agents observed. Every field but {@code nodes} is written by the
 * operator; each {@code nodes[]} entry by its node's agent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TunnelStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @MapListKeys("type")
  @JsonPropertyDescription("Ready, Degraded and Progressing, each with a reason a user can act on.")
  private List<Condition> conditions;

  @JsonPropertyDescription("The node that terminates the tunnel now.")
  private String activeGateway;

  @JsonPropertyDescription("Gateway candidates ready to take over.")
  private List<String> standbyGateways;

  @JsonPropertyDescription("This end's WireGuard public key (never a private key).")
  private String publicKey;

  @JsonPropertyDescription("Inner address of this end.")
  private String tunnelAddress;

  @JsonPropertyDescription("Inner address of the peer.")
  private String peerAddress;

  @JsonPropertyDescription(
      "IPv6 inner address of this end, when the Tunnel carries IPv6 (an Egress Tunnel with an IPv6"
          + " destination): the IPv4 one embedded in the operator's addressPool6.")
  private String tunnelAddress6;

  @JsonPropertyDescription("IPv6 inner address of the peer, beside peerAddress.")
  private String peerAddress6;

  @JsonPropertyDescription("The tunnel MTU in use.")
  private Integer mtu;

  @JsonPropertyDescription("Health of the path to the peer, measured by the active gateway.")
  private PeerStatus peer;

  @JsonPropertyDescription("The latency cost of the detour through the tunnel.")
  private DetourStatus detour;

  @JsonPropertyDescription("How many pods the egress podSelector selects.")
  private Integer selectedPods;

  @JsonPropertyDescription(
      "With backupPeers: the peer in use, primary or a backupPeers name; empty while none is"
          + " healthy (the kill switch holds the selected pods' traffic).")
  private String activePeer;

  @MapListKeys("name")
  @JsonPropertyDescription(
      "With backupPeers: every peer, primary first, with its inner addresses and health.")
  private List<PeerPathStatus> peerPaths;

  @JsonPropertyDescription("With backupPeers: the last change of the peer in use.")
  private PeerSwitch lastPeerSwitch;

  @MapListKeys("name")
  @JsonPropertyDescription("One entry per node, written by that node's agent.")
  private List<NodeStatus> nodes;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getActiveGateway() {
    return activeGateway;
  }

  public void setActiveGateway(String activeGateway) {
    this.activeGateway = activeGateway;
  }

  public List<String> getStandbyGateways() {
    return standbyGateways;
  }

  public void setStandbyGateways(List<String> standbyGateways) {
    this.standbyGateways = standbyGateways;
  }

  public String getPublicKey() {
    return publicKey;
  }

  public void setPublicKey(String publicKey) {
    this.publicKey = publicKey;
  }

  public String getTunnelAddress() {
    return tunnelAddress;
  }

  public void setTunnelAddress(String tunnelAddress) {
    this.tunnelAddress = tunnelAddress;
  }

  public String getPeerAddress() {
    return peerAddress;
  }

  public void setPeerAddress(String peerAddress) {
    this.peerAddress = peerAddress;
  }

  public String getTunnelAddress6() {
    return tunnelAddress6;
  }

  public void setTunnelAddress6(String tunnelAddress6) {
    this.tunnelAddress6 = tunnelAddress6;
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

  public PeerStatus getPeer() {
    return peer;
  }

  public void setPeer(PeerStatus peer) {
    this.peer = peer;
  }

  public DetourStatus getDetour() {
    return detour;
  }

  public void setDetour(DetourStatus detour) {
    this.detour = detour;
  }

  public Integer getSelectedPods() {
    return selectedPods;
  }

  public void setSelectedPods(Integer selectedPods) {
    this.selectedPods = selectedPods;
  }

  public List<NodeStatus> getNodes() {
    return nodes;
  }

  public void setNodes(List<NodeStatus> nodes) {
    this.nodes = nodes;
  }

  public String getActivePeer() {
    return activePeer;
  }

  public void setActivePeer(String activePeer) {
    this.activePeer = activePeer;
  }

  public List<PeerPathStatus> getPeerPaths() {
    return peerPaths;
  }

  public void setPeerPaths(List<PeerPathStatus> peerPaths) {
    this.peerPaths = peerPaths;
  }

  public PeerSwitch getLastPeerSwitch() {
    return lastPeerSwitch;
  }

  public void setLastPeerSwitch(PeerSwitch lastPeerSwitch) {
    this.lastPeerSwitch = lastPeerSwitch;
  }
}
