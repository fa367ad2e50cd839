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
      rules = {
        @ValidationRule(
            value = "isCIDR(self) && cidr(self) == cidr(self).masked()",
            message =
                "siteToSite.remoteCIDRs must be network CIDRs such as 10.20.0.0/16 (no host bits set)"),
        @ValidationRule(
            value =
                "!isCIDR(self) || cidr(self).prefixLength() >= (cidr(self).ip().family() == 4 ? "
                    + SpecialRanges.MIN_PREFIX_V4
                    + " : "
                    + SpecialRanges.MIN_PREFIX_V6
                    + ")",
            message =
                "siteToSite.remoteCIDRs may not be shorter than /"
                    + SpecialRanges.MIN_PREFIX_V4
                    + " (IPv6: /"
                    + SpecialRanges.MIN_PREFIX_V6
                    + "): that is wider than any cluster's pod network and would move the gateway"
                    + " node's own underlay and internet traffic; list pod CIDRs such as 10.20.0.0/16"),
        @ValidationRule(
            value =
                "!isCIDR(self) || !"
                    + SpecialRanges.LOOPBACK
                    + ".exists(r, "
                    + SpecialRanges.OVERLAPS
                    + ")",
            message =
                "siteToSite.remoteCIDRs may not overlap loopback 127.0.0.0/8 or ::1: those addresses belong to the gateway node or its link, never to pods of a cluster"),
        @ValidationRule(
            value =
                "!isCIDR(self) || !"
                    + SpecialRanges.UNSPECIFIED
                    + ".exists(r, "
                    + SpecialRanges.OVERLAPS
                    + ")",
            message =
                "siteToSite.remoteCIDRs may not overlap 0.0.0.0/8 or :: (unspecified): those addresses belong to the gateway node or its link, never to pods of a cluster"),
        @ValidationRule(
            value =
                "!isCIDR(self) || !"
                    + SpecialRanges.LINK_LOCAL
                    + ".exists(r, "
                    + SpecialRanges.OVERLAPS
                    + ")",
            message =
                "siteToSite.remoteCIDRs may not overlap link-local 169.254.0.0/16 or fe80::/10: those addresses belong to the gateway node or its link, never to pods of a cluster"),
        @ValidationRule(
            value =
                "!isCIDR(self) || !"
                    + SpecialRanges.MULTICAST
                    + ".exists(r, "
                    + SpecialRanges.OVERLAPS
                    + ")",
            message =
                "siteToSite.remoteCIDRs may not overlap multicast 224.0.0.0/4 or ff00::/8: those addresses belong to the gateway node or its link, never to pods of a cluster"),
        @ValidationRule(
            value =
                "!isCIDR(self) || !"
                    + SpecialRanges.RESERVED
                    + ".exists(r, "
                    + SpecialRanges.OVERLAPS
                    + ")",
            message =
                "siteToSite.remoteCIDRs may not overlap reserved 240.0.0.0/4 (with broadcast 255.255.255.255): those addresses belong to the gateway node or its link, never to pods of a cluster")
      })
  @JsonPropertyDescription("Pod CIDRs of the other cluster, reached through the tunnel.")
  private List<String> remoteCIDRs;

  @JsonProperty("localCIDRs")
  @Size(max = 64)
  @ListItems(
      maxLength = 43,
      rules = {
        @ValidationRule(
            value = "isCIDR(self) && cidr(self) == cidr(self).masked()",
            message =
                "siteToSite.localCIDRs must be network CIDRs such as 10.10.0.0/16 (no host bits set)"),
        @ValidationRule(
            value =
                "!isCIDR(self) || cidr(self).prefixLength() >= (cidr(self).ip().family() == 4 ? "
                    + SpecialRanges.MIN_PREFIX_V4
                    + " : "
                    + SpecialRanges.MIN_PREFIX_V6
                    + ")",
            message =
                "siteToSite.localCIDRs may not be shorter than /"
                    + SpecialRanges.MIN_PREFIX_V4
                    + " (IPv6: /"
                    + SpecialRanges.MIN_PREFIX_V6
                    + "): that is wider than any cluster's pod network and would move the gateway"
                    + " node's own underlay and internet traffic; list pod CIDRs such as 10.10.0.0/16"),
        @ValidationRule(
            value =
                "!isCIDR(self) || !"
                    + SpecialRanges.LOOPBACK
                    + ".exists(r, "
                    + SpecialRanges.OVERLAPS
                    + ")",
            message =
                "siteToSite.localCIDRs may not overlap loopback 127.0.0.0/8 or ::1: those addresses belong to the gateway node or its link, never to pods of a cluster"),
        @ValidationRule(
            value =
                "!isCIDR(self) || !"
                    + SpecialRanges.UNSPECIFIED
                    + ".exists(r, "
                    + SpecialRanges.OVERLAPS
                    + ")",
            message =
                "siteToSite.localCIDRs may not overlap 0.0.0.0/8 or :: (unspecified): those addresses belong to the gateway node or its link, never to pods of a cluster"),
        @ValidationRule(
            value =
                "!isCIDR(self) || !"
                    + SpecialRanges.LINK_LOCAL
                    + ".exists(r, "
                    + SpecialRanges.OVERLAPS
                    + ")",
            message =
                "siteToSite.localCIDRs may not overlap link-local 169.254.0.0/16 or fe80::/10: those addresses belong to the gateway node or its link, never to pods of a cluster"),
        @ValidationRule(
            value =
                "!isCIDR(self) || !"
                    + SpecialRanges.MULTICAST
                    + ".exists(r, "
                    + SpecialRanges.OVERLAPS
                    + ")",
            message =
                "siteToSite.localCIDRs may not overlap multicast 224.0.0.0/4 or ff00::/8: those addresses belong to the gateway node or its link, never to pods of a cluster"),
        @ValidationRule(
            value =
                "!isCIDR(self) || !"
                    + SpecialRanges.RESERVED
                    + ".exists(r, "
                    + SpecialRanges.OVERLAPS
                    + ")",
            message =
                "siteToSite.localCIDRs may not overlap reserved 240.0.0.0/4 (with broadcast 255.255.255.255): those addresses belong to the gateway node or its link, never to pods of a cluster")
      })
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
