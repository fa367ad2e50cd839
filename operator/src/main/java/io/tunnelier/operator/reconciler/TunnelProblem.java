package io.tunnelier.operator.reconciler;

/**
 * A problem with one Tunnel that a user can fix: it becomes a condition with this reason and an
 * Event, not a crash or a retry storm. Its message never holds a key.
 */
public final class TunnelProblem extends RuntimeException {
  private final String reason;

  public TunnelProblem(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  /** The condition reason, e.g. {@code InvalidKeys}. */
  public String reason() {
    return reason;
  }
}
