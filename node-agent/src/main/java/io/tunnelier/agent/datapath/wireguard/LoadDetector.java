package io.tunnelier.agent.datapath.wireguard;

/**
 * Decides when the responder is "under load" and must demand cookies (whitepaper 5.3). wireguard-go
 * calls a device under load when its queue of pending handshakes is 1/8 full, and keeps it so for
 * UNDER_LOAD_AFTER_TIME. This core handles handshakes inline and has no queue, so it uses the
 * arrival rate instead: more than {@link #THRESHOLD} handshake messages with a valid MAC1 within
 * one second means under load, until UNDER_LOAD_AFTER_TIME after the rate drops again. A tunnel has
 * one peer, which starts a handshake at most every REKEY_TIMEOUT, so honest traffic stays far below
 * it.
 */
public final class LoadDetector {
  /** Handshake messages per second that an honest single-peer tunnel never reaches. */
  public static final int THRESHOLD = 8;

  private static final long WINDOW = 1_000_000_000L;

  private long windowStart;
  private int inWindow;
  private boolean everLoaded;
  private long loadedUntil;
  private boolean started;

  /** Records one handshake message arriving at {@code now}; returns whether we are under load. */
  public boolean arrive(long now) {
    if (!started || now - windowStart >= WINDOW) {
      started = true;
      windowStart = now;
      inWindow = 0;
    }
    inWindow++;
    if (inWindow > THRESHOLD) {
      everLoaded = true;
      loadedUntil = now + Constants.UNDER_LOAD_AFTER_TIME;
    }
    return underLoad(now);
  }

  public boolean underLoad(long now) {
    return everLoaded && now - loadedUntil < 0;
  }
}
