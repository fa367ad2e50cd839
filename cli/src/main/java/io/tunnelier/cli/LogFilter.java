package io.tunnelier.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps an agent's log lines about one Tunnel: those with a value that names it ({@code
 * tunnel=namespace/name}, as the agents log) or one of its devices ({@link TunnelDevice}), as a
 * whole name (not {@code namespace/name2}). Reads both log formats ({@link AgentLogLine}) and shows
 * json lines as text; a line in neither format is searched as it is.
 */
public final class LogFilter {
  private final List<String> needles;

  public LogFilter(String namespace, String name) {
    this.needles =
        List.of(
            namespace + "/" + name,
            TunnelDevice.deviceName(namespace, name),
            TunnelDevice.vxlanName(namespace, name));
  }

  public boolean keeps(String line) {
    return keeps(line, AgentLogLine.parse(line));
  }

  private boolean keeps(String line, Optional<AgentLogLine> parsed) {
    return parsed
        .map(l -> l.fields().values().stream().anyMatch(this::names))
        .orElseGet(() -> names(line));
  }

  /** The kept lines; a json line becomes its text form. */
  public List<String> filter(String log) {
    List<String> kept = new ArrayList<>();
    for (String line : log.lines().toList()) {
      Optional<AgentLogLine> parsed = AgentLogLine.parse(line);
      if (keeps(line, parsed)) {
        kept.add(line.strip().startsWith("{") && parsed.isPresent() ? parsed.get().text() : line);
      }
    }
    return kept;
  }

  /** Whether {@code text} holds a needle that is not part of a longer name. */
  private boolean names(String text) {
    for (String needle : needles) {
      for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
        int end = i + needle.length();
        if ((i == 0 || !nameChar(text.charAt(i - 1)))
            && (end == text.length() || !nameChar(text.charAt(end)))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean nameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '/';
  }
}
