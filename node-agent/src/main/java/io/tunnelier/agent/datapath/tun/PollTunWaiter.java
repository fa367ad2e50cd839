package io.tunnelier.agent.datapath.tun;

import io.tunnelier.agent.datapath.net.Errno;
import io.tunnelier.agent.datapath.net.ErrnoException;
import io.tunnelier.agent.datapath.net.Native;
import io.tunnelier.agent.datapath.net.NativeBuffer;
import io.tunnelier.agent.datapath.net.PollWake;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * {@link TunWaiter} on {@code poll(2)} over the devices' descriptors plus an eventfd for {@link
 * #wake}. The pollfd array is rebuilt only when the caller passes a different device array, so a
 * loop over a stable set of tunnels costs one system call per wait. poll, not epoll: a loop serves
 * at most a few hundred devices, and the array is the whole state (nothing to keep in step with
 * devices that close).
 */
public final class PollTunWaiter implements TunWaiter {
  private static final short POLLIN = 0x1;
  private static final int POLLFD_SIZE = 8;

  private final PollWake wake = new PollWake("TUN waiter");
  private NativeBuffer fds = new NativeBuffer(POLLFD_SIZE);
  private TunDevice[] polled;

  public PollTunWaiter() throws ErrnoException {}

  @Override
  public int await(TunDevice[] devices, boolean[] readable, int timeoutMillis) throws IOException {
    if (!wake.enter()) {
      return -1;
    }
    try {
      int n = devices.length;
      if (devices != polled) {
        build(devices);
      }
      ByteBuffer b = fds.buffer();
      for (int i = 0; i <= n; i++) {
        b.putShort(i * POLLFD_SIZE + 6, (short) 0);
      }
      while (Native.libc().poll(fds.address(), n + 1, timeoutMillis) < 0) {
        int errno = Native.errno();
        if (errno != Errno.EINTR) {
          throw new ErrnoException("poll TUN devices", errno);
        }
      }
      if (b.getShort(n * POLLFD_SIZE + 6) != 0) {
        wake.reset();
      }
      if (wake.isClosed()) {
        return -1; // checked after the reset: close's own wake is never lost
      }
      int ready = 0;
      for (int i = 0; i < n; i++) {
        // POLLIN, or POLLERR/POLLNVAL of a device closing: its read then says -1.
        readable[i] = b.getShort(i * POLLFD_SIZE + 6) != 0;
        if (readable[i]) {
          ready++;
        }
      }
      return ready;
    } finally {
      wake.exit();
    }
  }

  private void build(TunDevice[] devices) {
    int n = devices.length;
    if (fds.size() < (n + 1) * POLLFD_SIZE) {
      fds = new NativeBuffer(Integer.highestOneBit(n + 1) * 2 * POLLFD_SIZE);
    }
    ByteBuffer b = fds.buffer();
    for (int i = 0; i < n; i++) {
      if (!(devices[i] instanceof LinuxTunDevice tun)) {
        throw new IllegalArgumentException(
            "not a Linux TUN device: " + devices[i].getClass().getSimpleName());
      }
      b.putInt(i * POLLFD_SIZE, tun.pollFd()); // -1 when closed: poll skips it
      b.putShort(i * POLLFD_SIZE + 4, POLLIN);
    }
    b.putInt(n * POLLFD_SIZE, wake.fd());
    b.putShort(n * POLLFD_SIZE + 4, POLLIN);
    polled = devices;
  }

  @Override
  public void wake() {
    if (wake.enter()) {
      try {
        wake.wake();
      } finally {
        wake.exit();
      }
    }
  }

  @Override
  public void close() {
    wake.close(() -> {});
  }
}
