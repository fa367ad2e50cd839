package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The far end of the tunnel. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PeerSpec {
  /** host[:port]: an IPv4 address, an [IPv6] address in brackets, or a DNS name. */
  static final String ENDPOINT_SHAPE =
      "^(\\\\[[0-9A-Fa-f:.]+\\\\]|[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?)(:[0-9]{1,5})?$";

  /** CEL: the endpoint's host is a valid IPv4 address. */
  static final String IPV4_HOST =
      "(self.matches('^[0-9.]+(:[0-9]+)?$') && isIP(self.split(':')[0]))";

  /** CEL: the endpoint's host is a valid IPv6 address in brackets. */
  static final String IPV6_HOST =
      "(self.startsWith('[') && self.contains(']') && isIP(self.substring(1, self.indexOf(']'))))";

  /** CEL: the endpoint's host as a string (valid only when one of the two above holds). */
  static final String HOST =
      "self.startsWith('[') ? self.substring(1, self.indexOf(']')) : self.split(':')[0]";

  @Required
  @Size(min = 1, max = 261)
  @ValidationRule(
      value = "self.matches('" + ENDPOINT_SHAPE + "')",
      message =
          "peer.endpoint must be host:port, where host is an IPv4 address, an [IPv6] address"
              + " in brackets or a DNS name, such as 203.0.113.10:51820")
  @ValidationRule(
      value =
          "!self.matches(':[0-9]+$') || (int(self.substring(self.lastIndexOf(':') + 1)) >= 1"
              + " && int(self.substring(self.lastIndexOf(':') + 1)) <= 65535)",
      message = "peer.endpoint has an invalid port: it must be 1..65535")
  @ValidationRule(
      value = "!self.matches('^[0-9.]+(:[0-9]+)?$') || isIP(self.split(':')[0])",
      message = "peer.endpoint has an invalid IPv4 address")
  @ValidationRule(
      value = "!self.startsWith('[') || isIP(self.substring(1, self.indexOf(']')))",
      message = "peer.endpoint has an invalid IPv6 address")
  @ValidationRule(
      value =
          "!("
              + IPV4_HOST
              + " || "
              + IPV6_HOST
              + ") || !"
              + SpecialRanges.LOOPBACK
              + ".exists(r, cidr(r).containsIP("
              + HOST
              + "))",
      message =
          "peer.endpoint may not be loopback (127.0.0.0/8, ::1): the tunnel would end on the gateway node itself")
  @ValidationRule(
      value =
          "!("
              + IPV4_HOST
              + " || "
              + IPV6_HOST
              + ") || !"
              + SpecialRanges.UNSPECIFIED
              + ".exists(r, cidr(r).containsIP("
              + HOST
              + "))",
      message = "peer.endpoint may not be unspecified (0.0.0.0/8, ::): no host has it")
  @ValidationRule(
      value =
          "!("
              + IPV4_HOST
              + " || "
              + IPV6_HOST
              + ") || !"
              + SpecialRanges.LINK_LOCAL
              + ".exists(r, cidr(r).containsIP("
              + HOST
              + "))",
      message =
          "peer.endpoint may not be link-local (169.254.0.0/16, fe80::/10): it reaches only the gateway node's own link, such as a cloud metadata service")
  @ValidationRule(
      value =
          "!("
              + IPV4_HOST
              + " || "
              + IPV6_HOST
              + ") || !"
              + SpecialRanges.MULTICAST
              + ".exists(r, cidr(r).containsIP("
              + HOST
              + "))",
      message =
          "peer.endpoint may not be multicast (224.0.0.0/4, ff00::/8): a tunnel needs one peer, not a group")
  @ValidationRule(
      value =
          "!("
              + IPV4_HOST
              + " || "
              + IPV6_HOST
              + ") || !"
              + SpecialRanges.RESERVED
              + ".exists(r, cidr(r).containsIP("
              + HOST
              + "))",
      message =
          "peer.endpoint may not be reserved (240.0.0.0/4, with broadcast 255.255.255.255): no host has it")
  @ValidationRule(
      value =
          "self.split(':')[0].lowerAscii() != 'localhost'"
              + " && !self.split(':')[0].lowerAscii().endsWith('.localhost')",
      message =
          "peer.endpoint may not be localhost: the tunnel would end on the gateway node itself")
  @JsonPropertyDescription(
      "host:port of the peer: IPv4, [IPv6] or DNS name. The port may be omitted for GRE only.")
  private String endpoint;

  @Size(max = 44)
  @ValidationRule(
      value = "self == '' || self.matches('^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$')",
      message =
          "peer.publicKey must be a WireGuard public key: 32 bytes in base64 (44 characters"
              + " ending in '='), as `wg pubkey` prints it")
  @JsonPropertyDescription(
      "WireGuard: the peer's public key. Empty: the operator generates the peer's keypair and"
          + " puts it in the <name>-peer-config Secret.")
  private String publicKey;

  @Min(0)
  @Max(4294967295L)
  @JsonPropertyDescription(
      "GRE/GREoverUDP: the RFC 2890 key (0..4294967295); identifies this tunnel on a shared VPS.")
  private Long greKey;

  @Default("25")
  @Min(0)
  @Max(65535)
  @JsonPropertyDescription("Seconds between keepalives that hold NAT mappings open; 0: off.")
  private Integer keepaliveSeconds;

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getPublicKey() {
    return publicKey;
  }

  public void setPublicKey(String publicKey) {
    this.publicKey = publicKey;
  }

  public Long getGreKey() {
    return greKey;
  }

  public void setGreKey(Long greKey) {
    this.greKey = greKey;
  }

  public Integer getKeepaliveSeconds() {
    return keepaliveSeconds;
  }

  public void setKeepaliveSeconds(Integer keepaliveSeconds) {
    this.keepaliveSeconds = keepaliveSeconds;
  }
}
