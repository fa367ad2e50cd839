package io.tunnelier.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Kubernetes users write them: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} (and
 * an ISO-8601 {@code PT30S}, which the agent's flags always took). One grammar for the operator's
 * configuration file and the agent's flags.
 */
public final class Durations {
  private static final Pattern SHAPE = Pattern.compile("(\\d+)(ms|s|m|h)");

  private Durations() {}

  /**
   * Parses a duration such as {@code 30s}.
   *
   * @throws IllegalArgumentException with a message naming the accepted shapes
   */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        return Duration.parse(t);
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException(
            "invalid duration '" + text + "': use a number and a unit, e.g. 500ms, 30s, 2m, 1h");
      }
    }
    Matcher m = SHAPE.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid duration '" + text + "': use a number and a unit, e.g. 500ms, 30s, 2m, 1h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** The shortest text {@link #parse} reads back to the same duration. */
  public static String format(Duration duration) {
    long ms = duration.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
