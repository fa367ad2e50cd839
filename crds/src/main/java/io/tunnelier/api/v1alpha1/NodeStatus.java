package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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
}
