package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which datapath carries the tunnel on a node. */
public enum DatapathMode {
  /** The kernel device when the node has the module, else the userspace datapath over TUN. */
  @JsonProperty("Auto")
  AUTO,
  /** Kernel GRE or WireGuard device; the node reports an error when the module is missing. */
  @JsonProperty("Kernel")
  KERNEL,
  /** The agent's Java datapath over a TUN device. */
  @JsonProperty("Userspace")
  USERSPACE
}
