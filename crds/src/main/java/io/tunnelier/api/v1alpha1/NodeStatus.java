package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * One node's view of the tunnel, written by that node's agent with server-side apply under its own
 * field manager ({@code tunnelier-agent/<node>}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeStatus {
  @Required
  @JsonPropertyDescription("The node's name.")
  private String name;

  @JsonPropertyDescription("Gateway, Standby or Member.")
  private NodeRole role;

  @JsonPropertyDescription(
      "Kernel or Userspace: what this node runs, after its kernel capability probe.")
  private NodeDatapath datapath;

  @MapListKeys("type")
  @JsonPropertyDescription(
      "LinkUp, RoutesProgrammed, NATProgrammed, PeerReachable; StateRemoved once the node"
          + " removed everything of a deleted tunnel.")
  private List<Condition> conditions;

  @JsonPropertyDescription("When the agent last wrote this entry (RFC 3339).")
  private String lastUpdateTime;

  @JsonPropertyDescription("The tunnel MTU on this node.")
  private Integer mtu;

  @JsonPropertyDescription("RTT to the peer's inner address from this node, in milliseconds.")
  private Double rttMillis;

  @JsonPropertyDescription("Bytes received through the tunnel on this node.")
  private Long rxBytes;

  @JsonPropertyDescription("Bytes sent through the tunnel on this node.")
  private Long txBytes;

  @JsonPropertyDescription(
      "Gateway: the peer endpoint packets go to now, host:port after DNS resolution and"
          + " WireGuard roaming. The operator shows it as status.peer.endpoint.")
  private String peerEndpoint;

  @JsonPropertyDescription(
      "Gateway, WireGuard: when the last handshake with the peer completed (RFC 3339). The"
          + " operator shows it as status.peer.lastHandshakeTime.")
  private String lastHandshakeTime;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "Gateway: share of the probes to the peer's inner address lost in the agent's last"
          + " measuring window, in percent. The operator shows it as status.peer.lossPercent.")
  private Double lossPercent;

  @JsonPropertyDescription(
      "Gateway: RTT to the peer's public endpoint outside the tunnel, in milliseconds. The"
          + " operator shows it as status.detour.directRttMillis, next to rttMillis as"
          + " viaTunnelRttMillis.")
  private Double directRttMillis;

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

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public NodeRole getRole() {
    return role;
  }

  public void setRole(NodeRole role) {
    this.role = role;
  }

  public NodeDatapath getDatapath() {
    return datapath;
  }

  public void setDatapath(NodeDatapath datapath) {
    this.datapath = datapath;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getLastUpdateTime() {
    return lastUpdateTime;
  }

  public void setLastUpdateTime(String lastUpdateTime) {
    this.lastUpdateTime = lastUpdateTime;
  }

  public Integer getMtu() {
    return mtu;
  }

  public void setMtu(Integer mtu) {
    this.mtu = mtu;
  }

  public Double getRttMillis() {
    return rttMillis;
  }

  public void setRttMillis(Double rttMillis) {
    this.rttMillis = rttMillis;
  }

  public Long getRxBytes() {
    return rxBytes;
  }

  public void setRxBytes(Long rxBytes) {
    this.rxBytes = rxBytes;
  }

  public Long getTxBytes() {
    return txBytes;
  }

  public void setTxBytes(Long txBytes) {
    this.txBytes = txBytes;
  }

  public String getPeerEndpoint() {
    return peerEndpoint;
  }

  public void setPeerEndpoint(String peerEndpoint) {
    this.peerEndpoint = peerEndpoint;
  }

  public String getLastHandshakeTime() {
    return lastHandshakeTime;
  }

  public void setLastHandshakeTime(String lastHandshakeTime) {
    this.lastHandshakeTime = lastHandshakeTime;
  }

  public Double getLossPercent() {
    return lossPercent;
  }

  public void setLossPercent(Double lossPercent) {
    this.lossPercent = lossPercent;
  }

  public Double getDirectRttMillis() {
    return directRttMillis;
  }

  public void setDirectRttMillis(Double directRttMillis) {
    this.directRttMillis = directRttMillis;
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
