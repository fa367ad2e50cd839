package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Type SiteToSite: the CIDRs on each side of the tunnel. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SiteToSiteSpec {
  @JsonProperty("remoteCIDRs")
  @Size(min = 1, max = 64)
  @ListItems(
      maxLength = 43,
      rules =
          @ValidationRule(
              value = "isCIDR(self) && cidr(self) == cidr(self).masked()",
              message =
                  "siteToSite.remoteCIDRs must be network CIDRs such as 10.20.0.0/16 (no host bits set)"))
  @JsonPropertyDescription("Pod CIDRs of the other cluster, reached through the tunnel.")
  private List<String> remoteCIDRs;

  @JsonProperty("localCIDRs")
  @Size(max = 64)
  @ListItems(
      maxLength = 43,
      rules =
          @ValidationRule(
              value = "isCIDR(self) && cidr(self) == cidr(self).masked()",
              message =
                  "siteToSite.localCIDRs must be network CIDRs such as 10.10.0.0/16 (no host bits set)"))
  @JsonPropertyDescription("CIDRs of this cluster offered to the other; empty: its pod CIDRs.")
  private List<String> localCIDRs;

  public List<String> getRemoteCIDRs() {
    return remoteCIDRs;
  }

  public void setRemoteCIDRs(List<String> remoteCIDRs) {
    this.remoteCIDRs = remoteCIDRs;
  }

  public List<String> getLocalCIDRs() {
    return localCIDRs;
  }

  public void setLocalCIDRs(List<String> localCIDRs) {
    this.localCIDRs = localCIDRs;
  }
}
