package io.tunnelier.agent.datapath.tun;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.net.InNetns;
import io.tunnelier.agent.datapath.net.PacketBatch;
import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One thread serving two real TUN devices through {@link PollTunWaiter}, as a GRE sender does. */
class PollTunWaiterIT {
  @BeforeAll
  static void needsLab() {
    Lab.assumeAvailable();
  }

  @Test
  void oneThreadAnswersPingsIntoTwoDevicesAndEndsWhenTheWaiterCloses() throws Exception {
    try (Lab lab = Lab.create()) {
      Netns ns = lab.netns("tun");
      LinuxTunDevice a =
          InNetns.call(ns, () -> LinuxTunDevice.open(new TunOptions("tnla", 1400, true, 8)));
      LinuxTunDevice b =
          InNetns.call(ns, () -> LinuxTunDevice.open(new TunOptions("tnlb", 1400, false, 8)));
      PollTunWaiter waiter = new PollTunWaiter();
      try {
        ns.ip("addr add 100.64.0.1/30 dev tnla");
        ns.ip("addr add 100.64.0.5/30 dev tnlb");
        TunDevice[] devices = {a, b};
        AtomicIntegerArray answered = new AtomicIntegerArray(2);
        Thread responder =
            new Thread(
                () -> {
                  PacketBatch batch = new PacketBatch(8, PacketBatch.DEFAULT_HEADROOM, 2048);
                  boolean[] readable = new boolean[2];
                  try {
                    while (waiter.await(devices, readable, -1) >= 0) {
                      for (int i = 0; i < 2; i++) {
                        int n = readable[i] ? devices[i].readQueued(batch) : 0;
                        for (int p = 0; p < n; p++) {
                          LinuxTunDeviceIT.turnIntoEchoReply(
                              batch.buffer(), batch.offset(p), batch.length(p));
                        }
                        if (n > 0) {
                          devices[i].write(batch);
                          answered.addAndGet(i, n);
                        }
                      }
                    }
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                },
                "responder");
        responder.start();
        for (String peer : new String[] {"100.64.0.2", "100.64.0.6"}) {
          Exec.Result ping =
              ns.exec(Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", peer);
          assertThat(ping.exitCode()).as(ping.stdout() + ping.stderr()).isZero();
          assertThat(ping.stdout()).contains("3 received");
        }
        assertThat(answered.get(0)).as("echo requests read from tnla").isEqualTo(3);
        assertThat(answered.get(1)).as("echo requests read from tnlb").isEqualTo(3);
        waiter.close();
        responder.join(5000);
        assertThat(responder.isAlive()).as("await returns -1 once the waiter is closed").isFalse();
      } finally {
        waiter.close();
        a.close();
        b.close();
      }
    }
  }

  @Test
  void wakeEndsAWaitWithNothingReadableAndAClosedDeviceIsLeftOut() throws Exception {
    try (Lab lab = Lab.create()) {
      Netns ns = lab.netns("tun");
      LinuxTunDevice a =
          InNetns.call(ns, () -> LinuxTunDevice.open(new TunOptions("tnla", 1400, true, 8)));
      try (PollTunWaiter waiter = new PollTunWaiter()) {
        TunDevice[] devices = {a};
        AtomicInteger result = new AtomicInteger(-2);
        Thread waiting =
            new Thread(
                () -> {
                  try {
                    result.set(waiter.await(devices, new boolean[1], -1));
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                },
                "waiting");
        waiting.start();
        Thread.sleep(200);
        assertThat(waiting.isAlive()).as("nothing readable: still waiting").isTrue();
        waiter.wake();
        waiting.join(5000);
        assertThat(result.get()).as("a wake returns no readable device").isZero();

        a.close();
        PacketBatch batch = new PacketBatch(8, PacketBatch.DEFAULT_HEADROOM, 2048);
        assertThat(a.readQueued(batch)).as("read of a closed device").isEqualTo(-1);
        boolean[] readable = {true};
        assertThat(waiter.await(new TunDevice[] {a}, readable, 100)).isZero();
        assertThat(readable[0]).isFalse();
      } finally {
        a.close();
      }
    }
  }
}
