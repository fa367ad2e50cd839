package io.tunnelier.agent.datapath.wireguard;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.agent.datapath.net.UdpSocket;
import io.tunnelier.agent.datapath.tun.LinuxTunDevice;
import io.tunnelier.agent.datapath.tun.TunOptions;
import io.tunnelier.agent.kernel.CommandRunner;
import io.tunnelier.agent.kernel.ProcessRunner;
import io.tunnelier.api.peerconfig.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens WireGuard tunnels: the kernel's WireGuard when the capability probe finds it (and the mode
 * allows), otherwise the userspace datapath over a TUN device and a batched UDP socket with
 * GSO/GRO.
 */
public final class WireGuardDatapathFactory {
  private static final Logger LOG = LoggerFactory.getLogger(WireGuardDatapathFactory.class);

  /** Which implementation to use; AUTO asks the kernel. */
  public enum Mode {
    AUTO,
    KERNEL,
    USERSPACE
  }

  private final Mode mode;
  private final boolean offloads;
  private final WireGuardDatapath.Options options;
  private final CommandRunner commands = new ProcessRunner(Duration.ofSeconds(10));

  public WireGuardDatapathFactory(Mode mode, boolean offloads, WireGuardDatapath.Options options) {
    this.mode = mode;
    this.offloads = offloads;
    this.options = options;
  }

  public WireGuardDatapathFactory() {
    this(Mode.AUTO, true, WireGuardDatapath.Options.defaults());
  }

  public Datapath open(DatapathConfig config) throws IOException {
    if (!(config instanceof DatapathConfig.WireGuard wg)) {
      throw new IllegalArgumentException("not a WireGuard tunnel: " + config);
    }
    boolean kernel =
        switch (mode) {
          case KERNEL -> true;
          case USERSPACE -> false;
          case AUTO -> KernelWireGuard.available(commands);
        };
    // Never the keys: only what the record's toString shows.
    LOG.atInfo()
        .setMessage("opening WireGuard datapath")
        .addKeyValue("device", wg.deviceName())
        .addKeyValue("implementation", kernel ? "kernel" : "userspace")
        .addKeyValue("mtu", wg.mtu())
        .addKeyValue("listenPort", wg.listenPort())
        .addKeyValue(
            "peer",
            wg.peer() == null ? null : new HostPort(wg.peer().getHostString(), wg.peer().getPort()))
        .addKeyValue("keepaliveSeconds", wg.keepaliveSeconds())
        .log();
    if (kernel) {
      return KernelWireGuard.open(wg, commands);
    }
    int mtu = wg.mtu() > 0 ? wg.mtu() : WireGuardDatapath.DEFAULT_MTU;
    LinuxTunDevice device =
        LinuxTunDevice.open(new TunOptions(wg.deviceName(), mtu, offloads, options.batch()));
    try {
      UdpSocket socket =
          UdpSocket.open(
              Endpoint.of(
                  InetAddress.getByName(wg.ipv6Underlay() ? "::" : "0.0.0.0"), wg.listenPort()),
              offloads
                  ? UdpSocket.Options.offloads(options.batch() * 2)
                  : UdpSocket.Options.plain(options.batch() * 2));
      return new WireGuardDatapath(wg, device, socket, options);
    } catch (IOException | RuntimeException e) {
      device.close();
      throw e;
    }
  }
}
