package io.tunnelier.cli;

/** How a diagnose check came out. */
public enum Severity {
  /** Nothing to do. */
  OK,
  /** Works, but worth a look (a missed probe, no standby, the kill switch off). */
  WARN,
  /** Broken: traffic does not flow as the spec says until someone acts. */
  FAIL
}
