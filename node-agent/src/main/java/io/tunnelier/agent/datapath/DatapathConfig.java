package io.tunnelier.agent.datapath;

import io.tunnelier.api.net.Cidr;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * Everything a datapath needs to bring one tunnel up. Implementations receive one of the permitted
 * records; the agent builds it from the Tunnel (or the standalone config).
 */
public sealed interface DatapathConfig permits DatapathConfig.Gre, DatapathConfig.WireGuard {
  /** Device name; the agent's link-name prefix marks it as ours. */
  String deviceName();

  /** Requested MTU, or 0 for automatic (underlay MTU minus overhead). */
  int mtu();

  /** The far end's underlay address: may be unresolved (a DNS name), or null (learned). */
  InetSocketAddress peer();

  /** The same config with another far-end address (a DNS name resolved by the agent). */
  DatapathConfig withPeer(InetSocketAddress peer);

  /**
   * GRE (RFC 2784/2890) over raw IP protocol 47, or GRE-in-UDP (RFC 8086) when {@code udp}.
   *
   * @param local local underlay address to bind (null: any)
   * @param localPort GRE-in-UDP listen port (4754 by default); unused for raw GRE
   * @param peer the peer's underlay address (port used for GRE-in-UDP only); null on a VPS that
   *     learns its peer from the first valid packet carrying {@code key}
   * @param key RFC 2890 key, identifies the tunnel on a shared VPS; null: no key
   * @param sequence whether to send RFC 2890 sequence numbers
   * @param checksum whether to send the RFC 2784 checksum
   * @param allowedSources when {@code peer} is null: the only underlay sources the peer may be
   *     learned from (the cluster's gateway candidates); empty: any source
   */
  record Gre(
      String deviceName,
      int mtu,
      boolean udp,
      InetSocketAddress local,
      int localPort,
      InetSocketAddress peer,
      Long key,
      boolean sequence,
      boolean checksum,
      List<Cidr> allowedSources)
      implements DatapathConfig {
    public Gre {
      allowedSources = allowedSources == null ? List.of() : List.copyOf(allowedSources);
    }

    /** Any source may be learned. */
    public Gre(
        String deviceName,
        int mtu,
        boolean udp,
        InetSocketAddress local,
        int localPort,
        InetSocketAddress peer,
        Long key,
        boolean sequence,
        boolean checksum) {
      this(deviceName, mtu, udp, local, localPort, peer, key, sequence, checksum, List.of());
    }

    @Override
    public Gre withPeer(InetSocketAddress peer) {
      return new Gre(
          deviceName, mtu, udp, local, localPort, peer, key, sequence, checksum, allowedSources);
    }

    public Gre withAllowedSources(List<Cidr> sources) {
      return new Gre(
          deviceName, mtu, udp, local, localPort, peer, key, sequence, checksum, sources);
    }
  }

  /**
   * WireGuard. Keys are raw 32-byte X25519 keys; the private key never leaves the datapath.
   *
   * @param listenPort UDP port to listen on (0: ephemeral, for an initiator-only end)
   * @param peer the peer's endpoint; null until the peer's first authenticated packet arrives
   * @param presharedKey 32 bytes, or null for none
   * @param keepaliveSeconds persistent keepalive interval, 0: off
   * @param ipv6Underlay the UDP socket is IPv6 ({@code [::]:listenPort}, IPv6 only), for an [IPv6]
   *     peer or a far end that listens on {@code [::]}; else IPv4 ({@code 0.0.0.0:listenPort})
   */
  record WireGuard(
      String deviceName,
      int mtu,
      byte[] privateKey,
      byte[] peerPublicKey,
      byte[] presharedKey,
      int listenPort,
      InetSocketAddress peer,
      int keepaliveSeconds,
      boolean ipv6Underlay)
      implements DatapathConfig {
    /** The socket's family follows the peer's; IPv4 when the peer is not known yet. */
    public WireGuard(
        String deviceName,
        int mtu,
        byte[] privateKey,
        byte[] peerPublicKey,
        byte[] presharedKey,
        int listenPort,
        InetSocketAddress peer,
        int keepaliveSeconds) {
      this(
          deviceName,
          mtu,
          privateKey,
          peerPublicKey,
          presharedKey,
          listenPort,
          peer,
          keepaliveSeconds,
          isIpv6(peer));
    }

    private static boolean isIpv6(InetSocketAddress a) {
      return a != null && a.getAddress() instanceof Inet6Address;
    }

    @Override
    public WireGuard withPeer(InetSocketAddress peer) {
      return new WireGuard(
          deviceName,
          mtu,
          privateKey,
          peerPublicKey,
          presharedKey,
          listenPort,
          peer,
          keepaliveSeconds,
          peer == null ? ipv6Underlay : isIpv6(peer));
    }

    /**
     * Keys compared by content (a record compares arrays by identity, so two plans built from the
     * same Secret would differ), in constant time.
     */
    @Override
    public boolean equals(Object o) {
      return o instanceof WireGuard y
          && deviceName.equals(y.deviceName)
          && mtu == y.mtu
          && MessageDigest.isEqual(privateKey, y.privateKey)
          && MessageDigest.isEqual(peerPublicKey, y.peerPublicKey)
          && MessageDigest.isEqual(presharedKey, y.presharedKey)
          && listenPort == y.listenPort
          && Objects.equals(peer, y.peer)
          && keepaliveSeconds == y.keepaliveSeconds
          && ipv6Underlay == y.ipv6Underlay;
    }

    /** Without the keys: equal configs still hash alike, and the hash says nothing about a key. */
    @Override
    public int hashCode() {
      return Objects.hash(deviceName, mtu, listenPort, peer, keepaliveSeconds, ipv6Underlay);
    }

    @Override
    public String toString() {
      // Never print keys: this record ends up in logs and exception messages.
      return "WireGuard[device="
          + deviceName
          + ", mtu="
          + mtu
          + ", listenPort="
          + listenPort
          + ", peer="
          + peer
          + ", keepalive="
          + keepaliveSeconds
          + "s"
          + (ipv6Underlay ? ", ipv6" : "")
          + "]";
    }
  }
}
