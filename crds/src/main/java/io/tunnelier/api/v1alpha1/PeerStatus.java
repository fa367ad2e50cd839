package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Health of the path to the peer, as the active gateway measures it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PeerStatus {
  @JsonPropertyDescription("The endpoint packets go to now (after DNS and roaming).")
  private String endpoint;

  @JsonPropertyDescription("WireGuard: when the last handshake completed (RFC 3339).")
  private String lastHandshakeTime;

  @JsonPropertyDescription("Round-trip time to the peer's inner address, in milliseconds.")
  private Double rttMillis;

  @JsonPropertyDescription("Share of probes lost in the last window, in percent.")
  private Double lossPercent;

  @JsonPropertyDescription("Bytes received from the peer.")
  private Long rxBytes;

  @JsonPropertyDescription("Bytes sent to the peer.")
  private Long txBytes;

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getLastHandshakeTime() {
    return lastHandshakeTime;
  }

  public void setLastHandshakeTime(String lastHandshakeTime) {
    this.lastHandshakeTime = lastHandshakeTime;
  }

  public Double getRttMillis() {
    return rttMillis;
  }

  public void setRttMillis(Double rttMillis) {
    this.rttMillis = rttMillis;
  }

  public Double getLossPercent() {
    return lossPercent;
  }

  public void setLossPercent(Double lossPercent) {
    this.lossPercent = lossPercent;
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
}
