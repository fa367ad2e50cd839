package io.tunnelier.agent.kernel;

/**
 * A permanent entry in the forwarding database of one of our VXLAN links ({@code bridge fdb replace
 * MAC dev DEV dst IP self permanent}): frames to {@code mac} are sent to the VXLAN tunnel end point
 * (RFC 7348) at {@code dst}. The gateway's hop has one per member node, so its replies reach each
 * member's hop device. The entry the kernel keeps for a link's own {@code remote} (MAC all zeros)
 * is the link's, not one of these.
 */
public record FdbEntry(String dev, String mac, String dst) {
  public Key key() {
    return new Key(dev, mac);
  }

  /** Identity in the kernel: one destination per MAC (the agent always replaces). */
  public record Key(String dev, String mac) {}

  @Override
  public String toString() {
    return mac + " dev " + dev + " dst " + dst;
  }
}
