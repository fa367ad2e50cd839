package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** Type Egress: which pods leave through the tunnel, and to where. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EgressSpec {
  @Required
  @JsonPropertyDescription(
      "Pods in the Tunnel's namespace whose traffic leaves through the tunnel.")
  private LabelSelector podSelector;

  @Default("[\"0.0.0.0/0\"]")
  @Size(min = 1, max = 64)
  @ListItems(
      maxLength = 43,
      rules = {
        @ValidationRule(
            value = "isCIDR(self) && cidr(self) == cidr(self).masked()",
            message =
                "egress.destinations must be network CIDRs such as 0.0.0.0/0 or 198.51.100.0/24 (no host bits set)"),
        @ValidationRule(
            value =
                "!isCIDR(self) || !"
                    + SpecialRanges.LOOPBACK
                    + ".exists(r, "
                    + SpecialRanges.INSIDE
                    + ")",
            message =
                "egress.destinations may not lie in loopback 127.0.0.0/8 or ::1: those addresses never leave the pod or its node's link, so the VPS cannot serve them"),
        @ValidationRule(
            value =
                "!isCIDR(self) || !"
                    + SpecialRanges.UNSPECIFIED
                    + ".exists(r, "
                    + SpecialRanges.INSIDE
                    + ")",
            message =
                "egress.destinations may not lie in 0.0.0.0/8 or :: (unspecified): those addresses never leave the pod or its node's link, so the VPS cannot serve them"),
        @ValidationRule(
            value =
                "!isCIDR(self) || !"
                    + SpecialRanges.LINK_LOCAL
                    + ".exists(r, "
                    + SpecialRanges.INSIDE
                    + ")",
            message =
                "egress.destinations may not lie in link-local 169.254.0.0/16 or fe80::/10: those addresses never leave the pod or its node's link, so the VPS cannot serve them"),
        @ValidationRule(
            value =
                "!isCIDR(self) || !"
                    + SpecialRanges.MULTICAST
                    + ".exists(r, "
                    + SpecialRanges.INSIDE
                    + ")",
            message =
                "egress.destinations may not lie in multicast 224.0.0.0/4 or ff00::/8: those addresses never leave the pod or its node's link, so the VPS cannot serve them"),
        @ValidationRule(
            value =
                "!isCIDR(self) || !"
                    + SpecialRanges.RESERVED
                    + ".exists(r, "
                    + SpecialRanges.INSIDE
                    + ")",
            message =
                "egress.destinations may not lie in reserved 240.0.0.0/4 (with broadcast 255.255.255.255): those addresses never leave the pod or its node's link, so the VPS cannot serve them")
      })
  @JsonPropertyDescription("Destinations sent through the tunnel.")
  private List<String> destinations;

  @Size(max = 64)
  @ListItems(
      maxLength = 43,
      rules =
          @ValidationRule(
              value = "isCIDR(self) && cidr(self) == cidr(self).masked()",
              message =
                  "egress.excludedDestinations must be network CIDRs such as 10.0.0.0/8 (no host bits set)"))
  @JsonPropertyDescription(
      "Destinations that bypass the tunnel; the cluster's pod and service CIDRs always do.")
  private List<String> excludedDestinations;

  @Default("true")
  @JsonPropertyDescription(
      "While the tunnel is down, drop the selected pods' traffic instead of leaking it out of the"
          + " node's own route.")
  private Boolean killSwitch;

  public LabelSelector getPodSelector() {
    return podSelector;
  }

  public void setPodSelector(LabelSelector podSelector) {
    this.podSelector = podSelector;
  }

  public List<String> getDestinations() {
    return destinations;
  }

  public void setDestinations(List<String> destinations) {
    this.destinations = destinations;
  }

  public List<String> getExcludedDestinations() {
    return excludedDestinations;
  }

  public void setExcludedDestinations(List<String> excludedDestinations) {
    this.excludedDestinations = excludedDestinations;
  }

  public Boolean getKillSwitch() {
    return killSwitch;
  }

  public void setKillSwitch(Boolean killSwitch) {
    this.killSwitch = killSwitch;
  }
}
