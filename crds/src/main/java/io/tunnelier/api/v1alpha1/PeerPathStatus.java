package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * One VPS of a Tunnel with backup peers: its inner addresses (the operator allocates them) and the
 * health the gateway measures through its own tunnel to it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PeerPathStatus {
  @Required
  @JsonPropertyDescription("primary (spec.peer) or the name of a backupPeers entry.")
  private String name;

  @JsonPropertyDescription("Inner address of this end towards this peer.")
  private String tunnelAddress;

  @JsonPropertyDescription("Inner address of this peer.")
  private String peerAddress;

  @JsonPropertyDescription(
      "IPv6 inner address of this end, when the Tunnel carries IPv6 (an Egress Tunnel with an IPv6"
          + " destination): the IPv4 one embedded in the operator's addressPool6.")
  private String tunnelAddress6;

  @JsonPropertyDescription("IPv6 inner address of the peer, beside peerAddress.")
  private String peerAddress6;

  @JsonPropertyDescription("Where packets to this peer go, host:port after DNS resolution.")
  private String endpoint;

  @JsonPropertyDescription(
      "Whether the gateway counts this peer healthy: probes through its tunnel answered (and for"
          + " WireGuard a recent handshake), with hysteresis.")
  private Boolean healthy;

  @JsonPropertyDescription("Why this peer is not healthy, or not yet known to be.")
  private String reason;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Share of probes through this peer's tunnel lost in the last window.")
  private Double lossPercent;

  @JsonPropertyDescription("RTT to this peer's inner address through its tunnel, in milliseconds.")
  private Double rttMillis;

  @JsonPropertyDescription("WireGuard: when the last handshake with this peer completed.")
  private String lastHandshakeTime;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
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

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public Boolean getHealthy() {
    return healthy;
  }

  public void setHealthy(Boolean healthy) {
    this.healthy = healthy;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public Double getLossPercent() {
    return lossPercent;
  }

  public void setLossPercent(Double lossPercent) {
    this.lossPercent = lossPercent;
  }

  public Double getRttMillis() {
    return rttMillis;
  }

  public void setRttMillis(Double rttMillis) {
    this.rttMillis = rttMillis;
  }

  public String getLastHandshakeTime() {
    return lastHandshakeTime;
  }

  public void setLastHandshakeTime(String lastHandshakeTime) {
    this.lastHandshakeTime = lastHandshakeTime;
  }
}
