package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The latency cost of sending traffic through the tunnel instead of directly. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DetourStatus {
  @JsonPropertyDescription("RTT from the gateway to the peer's public endpoint, direct.")
  private Double directRttMillis;

  @JsonPropertyDescription("RTT from the gateway to the peer's inner address, through the tunnel.")
  private Double viaTunnelRttMillis;

  public Double getDirectRttMillis() {
    return directRttMillis;
  }

  public void setDirectRttMillis(Double directRttMillis) {
    this.directRttMillis = directRttMillis;
  }

  public Double getViaTunnelRttMillis() {
    return viaTunnelRttMillis;
  }

  public void setViaTunnelRttMillis(Double viaTunnelRttMillis) {
    this.viaTunnelRttMillis = viaTunnelRttMillis;
  }
}
