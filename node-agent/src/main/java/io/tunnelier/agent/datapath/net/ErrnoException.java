package io.tunnelier.agent.datapath.net;

import java.io.IOException;

/** A system call failed; carries errno so callers can tell a retry from a real failure. */
public final class ErrnoException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int errno;

  public ErrnoException(String operation, int errno) {
    super(operation + ": " + Native.describe(errno) + " (errno " + errno + ")");
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}
