package io.tunnelier.agent.datapath.gre;

import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.agent.datapath.net.IpPacket;
import io.tunnelier.agent.datapath.net.PacketSocket;
import io.tunnelier.agent.datapath.net.PathMtu;
import io.tunnelier.agent.datapath.net.RawIpSocket;
import io.tunnelier.agent.datapath.net.UdpSocket;
import io.tunnelier.agent.datapath.tun.LinuxTunDevice;
import io.tunnelier.agent.datapath.tun.PollTunWaiter;
import io.tunnelier.agent.datapath.tun.TunDevice;
import io.tunnelier.agent.datapath.tun.TunOptions;
import io.tunnelier.agent.datapath.tun.TunWaiter;
import java.io.IOException;

/** The real machine, in the network namespace of the calling thread. */
public final class LinuxGrePlatform implements GrePlatform {
  @Override
  public TunDevice openTun(TunOptions options) throws IOException {
    return LinuxTunDevice.open(options);
  }

  @Override
  public TunWaiter openWaiter() throws IOException {
    return new PollTunWaiter();
  }

  @Override
  public PacketSocket openRawGre(Endpoint local, int batch) throws IOException {
    return RawIpSocket.open(IpPacket.PROTOCOL_GRE, local, batch);
  }

  @Override
  public PacketSocket openUdp(Endpoint local, int batch, boolean offloads) throws IOException {
    return UdpSocket.open(
        local, offloads ? UdpSocket.Options.offloads(batch) : UdpSocket.Options.plain(batch));
  }

  @Override
  public int underlayMtu(Endpoint peer, Endpoint local) {
    int mtu = peer == null ? -1 : PathMtu.toward(peer);
    if (mtu <= 0 && local != null) {
      mtu = PathMtu.ofLocalAddress(local);
    }
    return mtu;
  }
}
