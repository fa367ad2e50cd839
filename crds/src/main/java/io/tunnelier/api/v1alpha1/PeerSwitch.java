package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The gateway's last change of the VPS in use. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PeerSwitch {
  @JsonPropertyDescription("When the gateway switched (RFC 3339).")
  private String time;

  @JsonPropertyDescription("The peer in use before: primary or a backupPeers name; empty: none.")
  private String from;

  @JsonPropertyDescription("The peer in use since: primary or a backupPeers name; empty: none.")
  private String to;

  @JsonPropertyDescription("Why, such as: primary unhealthy (3 of 3 probes lost).")
  private String reason;

  public PeerSwitch() {}

  public PeerSwitch(String time, String from, String to, String reason) {
    this.time = time;
    this.from = from;
    this.to = to;
    this.reason = reason;
  }

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  public String getFrom() {
    return from;
  }

  public void setFrom(String from) {
    this.from = from;
  }

  public String getTo() {
    return to;
  }

  public void setTo(String to) {
    this.to = to;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }
}
