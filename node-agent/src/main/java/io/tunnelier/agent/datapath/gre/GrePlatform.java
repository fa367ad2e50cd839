package io.tunnelier.agent.datapath.gre;

import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.agent.datapath.net.PacketSocket;
import io.tunnelier.agent.datapath.tun.TunDevice;
import io.tunnelier.agent.datapath.tun.TunOptions;
import io.tunnelier.agent.datapath.tun.TunWaiter;
import java.io.IOException;

/**
 * What the userspace GRE datapath needs from the machine: TUN devices and a way to wait on many, an
 * underlay socket, the underlay MTU. {@link LinuxGrePlatform} is the real one; unit tests use
 * in-memory fakes.
 */
public interface GrePlatform {
  TunDevice openTun(TunOptions options) throws IOException;

  /** Something to wait on for packets from any of several devices this platform opened. */
  TunWaiter openWaiter() throws IOException;

  /** A raw IPv4 socket for protocol 47 bound to {@code local}. */
  PacketSocket openRawGre(Endpoint local, int batch) throws IOException;

  /** A UDP socket bound to {@code local} (with GSO/GRO when {@code offloads}). */
  PacketSocket openUdp(Endpoint local, int batch, boolean offloads) throws IOException;

  /**
   * The underlay MTU: of the route to {@code peer} when known, else of the interface holding {@code
   * local}; -1 when neither tells.
   */
  int underlayMtu(Endpoint peer, Endpoint local);
}
