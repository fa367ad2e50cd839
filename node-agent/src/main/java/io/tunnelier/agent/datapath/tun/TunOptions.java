package io.tunnelier.agent.datapath.tun;

/**
 * How to open a TUN device.
 *
 * @param name interface name (at most 15 characters); a {@code %d} pattern lets the kernel pick
 * @param mtu MTU to set, or 0 to leave the kernel's default (1500)
 * @param offloads {@code IFF_VNET_HDR} with TSO4/TSO6 and checksum offload: 64 KiB TCP
 *     super-packets on read, coalesced TCP on write; falls back to plain packets if refused
 * @param batch the largest batch the device will be asked to move (sizes internal buffers)
 */
public record TunOptions(String name, int mtu, boolean offloads, int batch) {
  public static final int IFNAMSIZ = 16;

  public TunOptions {
    if (name == null || name.isEmpty() || name.length() >= IFNAMSIZ) {
      throw new IllegalArgumentException(
          "deviceName: must be 1.." + (IFNAMSIZ - 1) + " characters, got '" + name + "'");
    }
    if (mtu != 0 && (mtu < 576 || mtu > 65535)) {
      throw new IllegalArgumentException("mtu: must be 576..65535 or 0, got " + mtu);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch: must be positive, got " + batch);
    }
  }
}
