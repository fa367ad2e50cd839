package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the original packet is wrapped on the way to the peer. */
public enum Encapsulation {
  /** WireGuard: encrypted and authenticated, over UDP; works through NAT. */
  @JsonProperty("WireGuard")
  WIREGUARD,
  /** GRE (RFC 2784/2890) directly over IP protocol 47: no encryption, no NAT traversal. */
  @JsonProperty("GRE")
  GRE,
  /** GRE-in-UDP (RFC 8086, UDP port 4754): no encryption, works through NAT. */
  @JsonProperty("GREoverUDP")
  GRE_OVER_UDP
}
