package io.tunnelier.agent.datapath;

/**
 * Carries one tunnel's packets between a local network device (a TUN device for the userspace
 * datapath, or a kernel gre/wireguard link) and the peer. The agent opens one per tunnel (by kind
 * and encapsulation), programs routes and nftables around its device, and closes it when the tunnel
 * goes away.
 */
public interface Datapath extends AutoCloseable {
  /** Name of the network device that carries the inner packets, e.g. {@code tnl-1a2b3c4d}. */
  String deviceName();

  /** MTU set on the device: the underlay MTU minus the encapsulation's overhead. */
  int mtu();

  /** Counters and health, safe to call from any thread. */
  DatapathStats stats();

  /** Stops packet processing and removes the device. Idempotent. */
  @Override
  void close();
}
