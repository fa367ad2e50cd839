package io.tunnelier.api.v1alpha1;

/**
 * Address ranges a Tunnel may never steer traffic to or from, as CEL list literals for the CRD's
 * validation rules (RFC 6890 special-purpose ranges): a route or an endpoint in them would act on
 * the gateway node itself or on its link, never on the far end. Each class is its own rule, so
 * {@code kubectl apply} names the class. CIDRs of the other family never match (the CEL library's
 * {@code containsCIDR} and {@code containsIP} are false across families).
 */
final class SpecialRanges {
  /** 127.0.0.0/8, ::1: the node itself. */
  static final String LOOPBACK = "['127.0.0.0/8', '::1/128']";

  /** 0.0.0.0/8 ("this network", RFC 1122), ::: no host has them. */
  static final String UNSPECIFIED = "['0.0.0.0/8', '::/128']";

  /** 169.254.0.0/16, fe80::/10: the node's own link, e.g. cloud metadata at 169.254.169.254. */
  static final String LINK_LOCAL = "['169.254.0.0/16', 'fe80::/10']";

  /** 224.0.0.0/4, ff00::/8: group addresses, never one peer. */
  static final String MULTICAST = "['224.0.0.0/4', 'ff00::/8']";

  /** 240.0.0.0/4 (RFC 1112 reserved) with the limited broadcast 255.255.255.255. */
  static final String RESERVED = "['240.0.0.0/4']";

  /** CEL: the CIDR string {@code self} and the range {@code r} share an address. */
  static final String OVERLAPS =
      "cidr(r).containsCIDR(cidr(self)) || cidr(self).containsCIDR(cidr(r))";

  /** CEL: the CIDR string {@code self} lies inside the range {@code r}. */
  static final String INSIDE = "cidr(r).containsCIDR(cidr(self))";

  /**
   * The shortest prefix accepted in siteToSite's CIDR lists: a /8 is already wider than any
   * cluster's pod network; anything shorter also captures the node's underlay and the internet.
   */
  static final int MIN_PREFIX_V4 = 8;

  /** The same for IPv6: a /32 is a whole provider allocation, far wider than any pod network. */
  static final int MIN_PREFIX_V6 = 32;

  private SpecialRanges() {}
}
