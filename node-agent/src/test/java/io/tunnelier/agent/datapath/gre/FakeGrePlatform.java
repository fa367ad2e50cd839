package io.tunnelier.agent.datapath.gre;

import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.agent.datapath.net.FakeNetwork;
import io.tunnelier.agent.datapath.net.PacketSocket;
import io.tunnelier.agent.datapath.tun.FakeTunDevice;
import io.tunnelier.agent.datapath.tun.FakeTunWaiter;
import io.tunnelier.agent.datapath.tun.TunDevice;
import io.tunnelier.agent.datapath.tun.TunOptions;
import io.tunnelier.agent.datapath.tun.TunWaiter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** One fake host on a {@link FakeNetwork}: fake TUN devices, fake sockets, a fixed MTU. */
public final class FakeGrePlatform implements GrePlatform {
  private final FakeNetwork network;
  private final int underlayMtu;
  final Map<String, FakeTunDevice> devices = new ConcurrentHashMap<>();
  final AtomicInteger socketsOpened = new AtomicInteger();

  public FakeGrePlatform(FakeNetwork network, int underlayMtu) {
    this.network = network;
    this.underlayMtu = underlayMtu;
  }

  public FakeTunDevice device(String name) {
    return devices.get(name);
  }

  @Override
  public TunDevice openTun(TunOptions options) {
    FakeTunDevice device = new FakeTunDevice(options.name(), options.mtu());
    if (devices.putIfAbsent(options.name(), device) != null
        && !devices.get(options.name()).isClosed()) {
      throw new IllegalStateException("device exists: " + options.name());
    }
    devices.put(options.name(), device);
    return device;
  }

  @Override
  public TunWaiter openWaiter() {
    return new FakeTunWaiter();
  }

  @Override
  public PacketSocket openRawGre(Endpoint local, int batch) {
    socketsOpened.incrementAndGet();
    return network.bind(local.withPort(0));
  }

  @Override
  public PacketSocket openUdp(Endpoint local, int batch, boolean offloads) {
    socketsOpened.incrementAndGet();
    return network.bind(local);
  }

  @Override
  public int underlayMtu(Endpoint peer, Endpoint local) {
    return underlayMtu;
  }
}
