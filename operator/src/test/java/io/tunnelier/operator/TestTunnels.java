package io.tunnelier.operator;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.api.v1alpha1.Tunnel;

/** Tunnels for unit tests, written as users write them. */
public final class TestTunnels {
  private TestTunnels() {}

  public static Tunnel egressWireGuard() {
    return parse(
        """
        apiVersion: tunnelier.io/v1alpha1
        kind: Tunnel
        metadata: {name: egress-nyc, namespace: scraping, uid: 1111-2222, generation: 3}
        spec:
          type: Egress
          encapsulation: WireGuard
          peer: {endpoint: "203.0.113.10:51820", publicKey: "", keepaliveSeconds: 25}
          gateway: {nodeSelector: {tunnelier.io/gateway: "true"}}
          egress: {podSelector: {matchLabels: {app: scraper}}}
          mtu: 0
          mssClamp: true
        """);
  }

  public static Tunnel egressGre() {
    return parse(
        """
        apiVersion: tunnelier.io/v1alpha1
        kind: Tunnel
        metadata: {name: egress-gre, namespace: scraping, uid: 3333-4444, generation: 1}
        spec:
          type: Egress
          encapsulation: GRE
          peer: {endpoint: "203.0.113.20", greKey: 4242, keepaliveSeconds: 0}
          egress: {podSelector: {matchLabels: {app: scraper}}}
          mtu: 1400
          mssClamp: true
        """);
  }

  public static Tunnel siteToSite() {
    return parse(
        """
        apiVersion: tunnelier.io/v1alpha1
        kind: Tunnel
        metadata: {name: to-berlin, namespace: net, uid: 5555-6666, generation: 1}
        spec:
          type: SiteToSite
          encapsulation: WireGuard
          peer: {endpoint: "[2001:db8::1]:51820", publicKey: "%s", keepaliveSeconds: 25}
          siteToSite: {remoteCIDRs: ["10.20.0.0/16"]}
          mssClamp: true
        """
            .formatted(PEER_PUBLIC_KEY));
  }

  /**
   * An Egress WireGuard Tunnel with two backup VPS: vps-b with a keypair the operator generates,
   * vps-c with the public key its owner gave.
   */
  public static Tunnel egressWithBackups() {
    return parse(
        """
        apiVersion: tunnelier.io/v1alpha1
        kind: Tunnel
        metadata:
          name: egress-ha
          namespace: scraping
          uid: 7777-8888
          generation: 2
          creationTimestamp: "2026-01-01T00:00:00Z"
        spec:
          type: Egress
          encapsulation: WireGuard
          peer: {endpoint: "203.0.113.10:51820", publicKey: "", keepaliveSeconds: 25}
          backupPeers:
          - {name: vps-b, endpoint: "203.0.113.20:51820", publicKey: "", keepaliveSeconds: 25}
          - {name: vps-c, endpoint: "198.51.100.30:51820", publicKey: "%s"}
          gateway: {nodeSelector: {tunnelier.io/gateway: "true"}}
          egress: {podSelector: {matchLabels: {app: scraper}}}
          mtu: 0
          mssClamp: true
        """
            .formatted(PEER_PUBLIC_KEY));
  }

  /** An Egress GRE Tunnel with one backup VPS. */
  public static Tunnel egressGreWithBackup() {
    return parse(
        """
        apiVersion: tunnelier.io/v1alpha1
        kind: Tunnel
        metadata: {name: egress-gre-ha, namespace: scraping, uid: 9999-0000, generation: 1}
        spec:
          type: Egress
          encapsulation: GREoverUDP
          peer: {endpoint: "203.0.113.10", keepaliveSeconds: 0}
          backupPeers:
          - {name: vps-b, endpoint: "203.0.113.20"}
          egress: {podSelector: {matchLabels: {app: scraper}}}
          mtu: 1400
          mssClamp: true
        """);
  }

  /** A public key a user could give in spec.peer.publicKey. */
  public static final String PEER_PUBLIC_KEY = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=";

  public static Tunnel parse(String yaml) {
    return Serialization.unmarshal(yaml, Tunnel.class);
  }
}
