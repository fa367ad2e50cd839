package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the tunnel is for. */
public enum TunnelType {
  /** Selected pods' traffic leaves the cluster through a VPS, which NATs it. */
  @JsonProperty("Egress")
  EGRESS,
  /** Pod CIDRs of two clusters reach each other through gateway nodes. */
  @JsonProperty("SiteToSite")
  SITE_TO_SITE
}
