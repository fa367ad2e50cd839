package io.tunnelier.agent;

import jnr.ffi.LibraryLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP means "re-read and resync" to the agent. A process started with SIGHUP ignored (nohup,
 * some supervisors) passes that on, and the JVM then silently never calls a handler: so the
 * disposition is reset to the default first, through libc.
 */
final class Signals {
  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);
  private static final int SIGHUP = 1;

  /** The libc call, nothing more. */
  public interface LibC {
    long signal(int signum, long handler);
  }

  private Signals() {}

  @SuppressWarnings("restriction")
  static void onHangUp(Runnable action) {
    try {
      LibraryLoader.create(LibC.class).load("c").signal(SIGHUP, 0L); // SIG_DFL
    } catch (RuntimeException | LinkageError e) {
      LOG.atDebug().setMessage("cannot reset SIGHUP").addKeyValue("error", e.toString()).log();
    }
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal("HUP"),
          s -> {
            LOG.atInfo().setMessage("SIGHUP: re-reading configuration and resyncing").log();
            action.run();
          });
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      LOG.atWarn().setMessage("SIGHUP not available").addKeyValue("error", e.getMessage()).log();
    }
  }
}
