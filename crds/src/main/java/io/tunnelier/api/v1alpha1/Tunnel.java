package io.tunnelier.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A tunnel from this cluster to a VPS egress point or to another cluster's gateway. The spec is
 * what the user wants; the status is written by the operator, and {@code status.nodes[]} by the
 * node agents (one server-side-apply field manager per node).
 *
 * <p>inlets-operator and cloudflare-operator define a {@code Tunnel} kind too, so {@code kubectl
 * get tunnels} may pick either: {@code tunnels.tunnelier.io} is exact. The short name is {@code
 * tnl} (the prefix of the agent's devices), not {@code tun}, the obvious abbreviation of any Tunnel
 * kind; the category {@code tunnelier} lists ours ({@code kubectl get tunnelier}).
 */
@Group(Tunnel.GROUP)
@Version(Tunnel.VERSION)
@Kind("Tunnel")
@Plural("tunnels")
@Singular("tunnel")
@ShortNames("tnl")
@Categories("tunnelier")
@AdditionalPrinterColumn(name = "Type", jsonPath = ".spec.type", type = Type.STRING)
@AdditionalPrinterColumn(name = "Encap", jsonPath = ".spec.encapsulation", type = Type.STRING)
@AdditionalPrinterColumn(name = "Gateway", jsonPath = ".status.activeGateway", type = Type.STRING)
@AdditionalPrinterColumn(name = "Peer", jsonPath = ".spec.peer.endpoint", type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = Type.STRING)
@AdditionalPrinterColumn(name = "RTT", jsonPath = ".status.peer.rttMillis", type = Type.NUMBER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class Tunnel extends CustomResource<TunnelSpec, TunnelStatus> implements Namespaced {
  public static final String GROUP = "tunnelier.io";
  public static final String VERSION = "v1alpha1";

  @Override
  @ValidationRule(
      value = "self.type != 'Egress' || (has(self.egress) && has(self.egress.podSelector))",
      message =
          "type Egress needs egress.podSelector: it chooses the pods whose traffic leaves"
              + " through the tunnel",
      fieldPath = ".egress",
      reason = "FieldValueRequired")
  @ValidationRule(
      value =
          "self.type != 'SiteToSite' || (has(self.siteToSite)"
              + " && has(self.siteToSite.remoteCIDRs) && size(self.siteToSite.remoteCIDRs) > 0)",
      message = "type SiteToSite needs siteToSite.remoteCIDRs: the pod CIDRs of the other cluster",
      fieldPath = ".siteToSite",
      reason = "FieldValueRequired")
  @ValidationRule(
      value = "self.type == 'Egress' || !has(self.egress)",
      message = "egress is only valid with type Egress",
      fieldPath = ".egress")
  @ValidationRule(
      value = "self.type == 'SiteToSite' || !has(self.siteToSite)",
      message = "siteToSite is only valid with type SiteToSite",
      fieldPath = ".siteToSite")
  @ValidationRule(
      value =
          "self.encapsulation == 'WireGuard' || !has(self.peer.publicKey)"
              + " || self.peer.publicKey == ''",
      message = "peer.publicKey is only used with encapsulation WireGuard",
      fieldPath = ".peer.publicKey")
  @ValidationRule(
      value = "self.encapsulation != 'WireGuard' || !has(self.peer.greKey)",
      message = "peer.greKey is only used with encapsulation GRE or GREoverUDP",
      fieldPath = ".peer.greKey")
  @ValidationRule(
      value = "self.encapsulation == 'GRE' || self.peer.endpoint.matches(':[0-9]+$')",
      message = "peer.endpoint needs a port (host:port) with encapsulation WireGuard or GREoverUDP",
      fieldPath = ".peer.endpoint")
  // GRE has no keys to derive an agreed pair from (WireGuard does: operator.md). A Tunnel stored
  // before this rule, still without an address and with the same encapsulation, stays updatable.
  @ValidationRule(
      value =
          "self.type != 'SiteToSite' || self.encapsulation == 'WireGuard'"
              + " || (has(self.address) && self.address != '')"
              + " || (oldSelf.hasValue() && oldSelf.value().encapsulation == self.encapsulation"
              + " && (!has(oldSelf.value().address) || oldSelf.value().address == ''))",
      optionalOldSelf = true,
      message =
          "siteToSite over GRE or GREoverUDP needs spec.address: this end of a /31, the other"
              + " cluster's Tunnel the other end (WireGuard derives both from the public keys)",
      fieldPath = ".address",
      reason = "FieldValueRequired")
  @ValidationRule(
      value = "self.encapsulation != 'GREoverUDP' || self.datapath != 'Kernel'",
      message = "GREoverUDP runs in the userspace datapath only: set datapath to Auto or Userspace",
      fieldPath = ".datapath")
  @ValidationRule(
      value = "!has(self.backupPeers) || size(self.backupPeers) == 0 || self.type == 'Egress'",
      message =
          "backupPeers is only valid with type Egress: a SiteToSite Tunnel has one other cluster",
      fieldPath = ".backupPeers")
  @ValidationRule(
      value = "!has(self.backupPeers) || self.backupPeers.all(b, b.endpoint != self.peer.endpoint)",
      message = "backupPeers[].endpoint must differ from peer.endpoint: a backup is another VPS",
      fieldPath = ".backupPeers")
  @ValidationRule(
      value =
          "!has(self.backupPeers) || self.encapsulation == 'WireGuard'"
              + " || self.backupPeers.all(b, !has(b.publicKey) || b.publicKey == '')",
      message = "backupPeers[].publicKey is only used with encapsulation WireGuard",
      fieldPath = ".backupPeers")
  @ValidationRule(
      value =
          "!has(self.backupPeers) || self.encapsulation != 'WireGuard'"
              + " || self.backupPeers.all(b, !has(b.greKey))",
      message = "backupPeers[].greKey is only used with encapsulation GRE or GREoverUDP",
      fieldPath = ".backupPeers")
  @ValidationRule(
      value =
          "!has(self.backupPeers) || self.encapsulation == 'GRE'"
              + " || self.backupPeers.all(b, b.endpoint.matches(':[0-9]+$'))",
      message =
          "backupPeers[].endpoint needs a port (host:port) with encapsulation WireGuard or"
              + " GREoverUDP",
      fieldPath = ".backupPeers")
  public TunnelSpec getSpec() {
    return super.getSpec();
  }
}
