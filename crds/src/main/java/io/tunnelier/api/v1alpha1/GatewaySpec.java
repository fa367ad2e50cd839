package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** Which nodes may terminate the tunnel. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewaySpec {
  @JsonPropertyDescription(
      "Labels a node needs to be a gateway candidate; empty: every Ready node. One is active, the"
          + " rest are standby.")
  private Map<String, String> nodeSelector;

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }
}
