package io.tunnelier.agent.datapath.tun;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.net.Checksum;
import io.tunnelier.agent.datapath.net.InNetns;
import io.tunnelier.agent.datapath.net.IpPacket;
import io.tunnelier.agent.datapath.net.PacketBatch;
import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real TUN device in a lab namespace: MTU, up, and packets both ways with the kernel. */
class LinuxTunDeviceIT {
  @BeforeAll
  static void needsLab() {
    Lab.assumeAvailable();
  }

  @ParameterizedTest(name = "offloads={0}")
  @ValueSource(booleans = {false, true})
  void kernelPingIsReadFromTheDeviceAndTheReplyWrittenBackReachesPing(boolean offloads)
      throws Exception {
    try (Lab lab = Lab.create()) {
      Netns ns = lab.netns("tun");
      try (LinuxTunDevice tun =
          InNetns.call(ns, () -> LinuxTunDevice.open(new TunOptions("tnl0", 1400, offloads, 8)))) {
        assertThat(tun.name()).isEqualTo("tnl0");
        assertThat(ns.ip("-o link show tnl0")).contains("mtu 1400").contains("UP");
        ns.ip("addr add 100.64.0.1/30 dev tnl0");

        // ping 100.64.0.2 goes into the device; answer each echo request ourselves.
        Thread responder =
            new Thread(
                () -> {
                  PacketBatch batch = new PacketBatch(8, PacketBatch.DEFAULT_HEADROOM, 2048);
                  try {
                    while (tun.read(batch) > 0) {
                      for (int i = 0; i < batch.count(); i++) {
                        turnIntoEchoReply(batch.buffer(), batch.offset(i), batch.length(i));
                      }
                      tun.write(batch);
                    }
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                },
                "responder");
        responder.start();
        Exec.Result ping =
            ns.exec(
                Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", "100.64.0.2");
        assertThat(ping.exitCode()).as(ping.stdout() + ping.stderr()).isZero();
        assertThat(ping.stdout()).contains("3 received");
        tun.close();
        responder.join(5000);
        assertThat(responder.isAlive()).as("read returns -1 after close").isFalse();
      }
    }
  }

  /**
   * The kernel would give the device an IPv6 link-local address and send its own router
   * solicitations and MLD reports into it (that is, to the far end): the device comes up with
   * address generation off, and for 3 s nothing IPv6 comes out of it.
   */
  @Test
  void theDeviceHasNoIpv6LinkLocalAddressAndTheKernelSendsNothingIntoIt() throws Exception {
    try (Lab lab = Lab.create()) {
      Netns ns = lab.netns("tun");
      LinuxTunDevice tun =
          InNetns.call(ns, () -> LinuxTunDevice.open(new TunOptions("tnl2", 1400, false, 8)));
      java.util.concurrent.atomic.AtomicInteger ipv6 =
          new java.util.concurrent.atomic.AtomicInteger();
      Thread reader =
          new Thread(
              () -> {
                PacketBatch batch = new PacketBatch(8, PacketBatch.DEFAULT_HEADROOM, 2048);
                try {
                  while (tun.read(batch) > 0) {
                    for (int i = 0; i < batch.count(); i++) {
                      if ((batch.buffer().get(batch.offset(i)) & 0xf0) == 0x60) {
                        ipv6.incrementAndGet();
                      }
                    }
                  }
                } catch (Exception e) {
                  e.printStackTrace();
                }
              },
              "reader");
      reader.start();
      try {
        Thread.sleep(3000);
        assertThat(ns.ip("-d link show dev tnl2")).contains("addrgenmode none").contains("UP");
        assertThat(ns.ip("-6 -o addr show dev tnl2")).isBlank();
        assertThat(ipv6.get()).as("IPv6 packets the kernel sent into the device").isZero();
      } finally {
        tun.close();
        reader.join(5000);
      }
    }
  }

  @Test
  void closingRemovesTheDevice() throws Exception {
    try (Lab lab = Lab.create()) {
      Netns ns = lab.netns("tun");
      LinuxTunDevice tun =
          InNetns.call(ns, () -> LinuxTunDevice.open(new TunOptions("tnl1", 0, false, 4)));
      assertThat(ns.exec("ip", "link", "show", "tnl1").exitCode()).isZero();
      tun.close();
      tun.close();
      assertThat(ns.exec("ip", "link", "show", "tnl1").exitCode()).isNotZero();
    }
  }

  /** Swaps addresses and makes an ICMP echo request a reply, fixing checksums. */
  static void turnIntoEchoReply(ByteBuffer b, int ip, int length) {
    if (IpPacket.version(b, ip, length) != 4 || IpPacket.ipv4Protocol(b, ip) != 1) {
      return;
    }
    int src = b.getInt(ip + 12);
    b.putInt(ip + 12, b.getInt(ip + 16));
    b.putInt(ip + 16, src);
    IpPacket.ipv4UpdateChecksum(b, ip);
    int icmp = ip + IpPacket.ipv4HeaderLength(b, ip);
    b.put(icmp, (byte) 0);
    b.putShort(icmp + 2, (short) 0);
    b.putShort(icmp + 2, (short) Checksum.compute(b, icmp, length - (icmp - ip)));
  }
}
