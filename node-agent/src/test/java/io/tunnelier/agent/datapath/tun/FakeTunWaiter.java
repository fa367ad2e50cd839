package io.tunnelier.agent.datapath.tun;

import java.util.concurrent.TimeUnit;

/**
 * The in-memory {@link TunWaiter} for {@link FakeTunDevice}s: a device is readable when packets are
 * queued or it is closed, as poll(2) reports a TUN device. Checks every millisecond rather than
 * being told, which is enough for unit tests.
 */
public final class FakeTunWaiter implements TunWaiter {
  private volatile boolean woken;
  private volatile boolean closed;

  @Override
  public int await(TunDevice[] devices, boolean[] readable, int timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      if (closed) {
        return -1;
      }
      int ready = 0;
      for (int i = 0; i < devices.length; i++) {
        readable[i] = ((FakeTunDevice) devices[i]).readable();
        if (readable[i]) {
          ready++;
        }
      }
      if (ready > 0 || woken || (timeoutMillis >= 0 && System.nanoTime() >= deadline)) {
        woken = false;
        return ready;
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
  }

  @Override
  public void wake() {
    woken = true;
  }

  @Override
  public void close() {
    closed = true;
  }
}
