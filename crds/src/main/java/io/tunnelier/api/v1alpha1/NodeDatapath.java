package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The datapath a node actually runs for a tunnel, after its kernel capability probe. */
public enum NodeDatapath {
  @JsonProperty("Kernel")
  KERNEL,
  @JsonProperty("Userspace")
  USERSPACE
}
