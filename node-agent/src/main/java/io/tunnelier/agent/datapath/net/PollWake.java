package io.tunnelier.agent.datapath.net;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An eventfd that wakes a loop waiting in {@code poll(2)}, and the count of calls in flight that
 * makes closing safe: {@link #close(Runnable)} may be called from any thread while another is
 * inside a call; descriptors are closed only once no call is in flight, so their numbers are never
 * reused under a running system call. Shared by {@link PollableFd} and the TUN waiter.
 */
public final class PollWake {
  private static final int EFD_NONBLOCK = 0x800;
  private static final int EFD_CLOEXEC = 0x80000;

  private final int eventFd;
  private final NativeBuffer one = new NativeBuffer(8);
  private final NativeBuffer drained = new NativeBuffer(8);
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean closed;
  private boolean released;

  /** {@code what} names the user in errors. */
  public PollWake(String what) throws ErrnoException {
    int efd = Native.libc().eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (efd < 0) {
      throw Native.error("eventfd for " + what);
    }
    this.eventFd = efd;
    one.buffer().putLong(0, 1L);
  }

  /** The eventfd, to poll for POLLIN beside the loop's own descriptors. */
  public int fd() {
    return eventFd;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Marks a call in flight; false when closed (the caller must not touch the descriptors). */
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

  /**
   * Makes a poll that includes {@link #fd()} return (until {@link #reset()}). Call inside enter.
   */
  public void wake() {
    Native.libc().write(eventFd, one.address(), 8);
  }

  /**
   * Clears a {@link #wake()}. A loop that resets must check {@link #isClosed()} afterwards, so the
   * wake of a close is never lost. Call inside enter.
   */
  public void reset() {
    Native.libc().read(eventFd, drained.address(), 8);
  }

  /**
   * Marks closed and wakes the loop, waits until no call is in flight, then runs {@code release}
   * (closing the user's own descriptors) and closes the eventfd. Idempotent.
   */
  public void close(Runnable release) {
    synchronized (this) {
      if (released) {
        return;
      }
      closed = true;
      wake();
      while (inFlight.get() > 0) {
        LockSupport.parkNanos(100_000);
      }
      release.run();
      Native.libc().close(eventFd);
      released = true;
    }
  }
}
