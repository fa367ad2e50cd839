package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a node does for a tunnel. */
public enum NodeRole {
  /** The active gateway: terminates the tunnel. */
  @JsonProperty("Gateway")
  GATEWAY,
  /** May become the gateway when the active one fails. */
  @JsonProperty("Standby")
  STANDBY,
  /** Sends its selected pods' traffic to the active gateway. */
  @JsonProperty("Member")
  MEMBER
}
