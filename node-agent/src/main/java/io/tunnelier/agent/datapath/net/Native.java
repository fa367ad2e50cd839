package io.tunnelier.agent.datapath.net;

import java.nio.Buffer;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/** Loads {@link LibC} once and gives the few helpers every native caller needs. */
public final class Native {
  private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
  private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

  private Native() {}

  public static LibC libc() {
    return LIBC;
  }

  /** errno of the last failed call on this thread. */
  public static int errno() {
    return LastError.getLastError(RUNTIME);
  }

  /** Native address of a direct buffer's first byte (position is ignored). */
  public static long address(Buffer direct) {
    if (!direct.isDirect()) {
      throw new IllegalArgumentException("not a direct buffer");
    }
    return Memory.address(direct);
  }

  /** An {@link ErrnoException} for the last failed call, saying what was attempted. */
  public static ErrnoException error(String operation) {
    return new ErrnoException(operation, errno());
  }

  /** The C library's text for an errno value. */
  public static String describe(int errno) {
    String text = LIBC.strerror(errno);
    return text == null ? "errno " + errno : text;
  }
}
