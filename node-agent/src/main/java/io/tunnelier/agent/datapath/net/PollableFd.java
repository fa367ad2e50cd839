package io.tunnelier.agent.datapath.net;

/**
 * A file descriptor used in non-blocking mode by packet loops, with an eventfd to wake a loop that
 * waits in {@code poll(2)} and a safe close: {@link #close()} may be called from any thread while
 * another is inside a call; the descriptor is closed only once no call is in flight, so its number
 * is never reused under a running {@code recvmmsg} ({@link PollWake}).
 */
public final class PollableFd implements AutoCloseable {
  private static final short POLLIN = 0x1;
  private static final int POLLFD_SIZE = 8;

  private final int fd;
  private final String what;
  private final PollWake wake;
  private final ThreadLocal<NativeBuffer> pollFds =
      ThreadLocal.withInitial(() -> new NativeBuffer(2 * POLLFD_SIZE));

  /** Takes ownership of {@code fd}; {@code what} names it in errors. */
  public PollableFd(int fd, String what) throws ErrnoException {
    this.fd = fd;
    this.what = what;
    try {
      this.wake = new PollWake(what);
    } catch (ErrnoException e) {
      Native.libc().close(fd);
      throw e;
    }
  }

  public int fd() {
    return fd;
  }

  public String what() {
    return what;
  }

  public boolean isClosed() {
    return wake.isClosed();
  }

  /** Marks a call in flight; false when closed (the caller must not touch the fd then). */
  public boolean enter() {
    return wake.enter();
  }

  /** Ends a call begun with a successful {@link #enter()}. */
  public void exit() {
    wake.exit();
  }

  /** Waits until the fd is readable; false when woken by {@link #close()}. Call inside enter. */
  public boolean awaitReadable() throws ErrnoException {
    return await(POLLIN);
  }

  private boolean await(short events) throws ErrnoException {
    NativeBuffer fds = pollFds.get();
    var b = fds.buffer();
    b.putInt(0, fd);
    b.putShort(4, events);
    b.putShort(6, (short) 0);
    b.putInt(8, wake.fd());
    b.putShort(12, POLLIN);
    b.putShort(14, (short) 0);
    while (!wake.isClosed()) {
      int n = Native.libc().poll(fds.address(), 2, -1);
      if (n < 0) {
        int errno = Native.errno();
        if (errno == Errno.EINTR) {
          continue;
        }
        throw new ErrnoException("poll " + what, errno);
      }
      if (b.getShort(14) != 0) {
        return false; // only close() wakes this eventfd
      }
      if (b.getShort(6) != 0) {
        return true;
      }
    }
    return false;
  }

  /** Stops waiting loops and closes the descriptor once no call is in flight. Idempotent. */
  @Override
  public void close() {
    wake.close(() -> Native.libc().close(fd));
  }
}
