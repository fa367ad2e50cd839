package io.tunnelier.agent.datapath.net;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A file descriptor used in non-blocking mode by packet loops, with an eventfd to wake a loop that
 * waits in {@code poll(2)} and a safe close: {@link #close()} may be called from any thread while
 * another is inside a call; the descriptor is closed only once no call is in flight, so its number
 * is never reused under a running {@code recvmmsg}.
 */
public final class PollableFd implements AutoCloseable {
  private static final int EFD_NONBLOCK = 0x800;
  private static final int EFD_CLOEXEC = 0x80000;
  private static final short POLLIN = 0x1;
  private static final int POLLFD_SIZE = 8;

  private final int fd;
  private final int eventFd;
  private final String what;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ThreadLocal<NativeBuffer> pollFds =
      ThreadLocal.withInitial(() -> new NativeBuffer(2 * POLLFD_SIZE));
  private final NativeBuffer wakeValue = new NativeBuffer(8);
  private volatile boolean closed;
  private boolean released;

  /** Takes ownership of {@code fd}; {@code what} names it in errors. */
  public PollableFd(int fd, String what) throws ErrnoException {
    this.fd = fd;
    this.what = what;
    int efd = Native.libc().eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (efd < 0) {
      ErrnoException e = Native.error("eventfd for " + what);
      Native.libc().close(fd);
      throw e;
    }
    this.eventFd = efd;
    wakeValue.buffer().putLong(0, 1L);
  }

  public int fd() {
    return fd;
  }

  public String what() {
    return what;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Marks a call in flight; false when closed (the caller must not touch the fd then). */
  public boolean enter() {
    inFlight.incrementAndGet();
    if (closed) {
      exit();
      return false;
    }
    return true;
  }

  /** Ends a call begun with a successful {@link #enter()}. */
  public void exit() {
    inFlight.decrementAndGet();
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
    b.putInt(8, eventFd);
    b.putShort(12, POLLIN);
    b.putShort(14, (short) 0);
    while (!closed) {
      int n = Native.libc().poll(fds.address(), 2, -1);
      if (n < 0) {
        int errno = Native.errno();
        if (errno == Errno.EINTR) {
          continue;
        }
        throw new ErrnoException("poll " + what, errno);
      }
      if (b.getShort(14) != 0) {
        return false;
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
    synchronized (this) {
      if (released) {
        return;
      }
      closed = true;
      Native.libc().write(eventFd, wakeValue.address(), 8);
      while (inFlight.get() > 0) {
        LockSupport.parkNanos(100_000);
      }
      Native.libc().close(fd);
      Native.libc().close(eventFd);
      released = true;
    }
  }
}
