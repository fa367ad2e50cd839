package io.tunnelier.api.logging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text log format of the operator and the agents: one event per line, {@code key=value} pairs
 * separated by spaces. A value is written bare when it is printable ASCII without a space, quote,
 * {@code =} or backslash, otherwise in double quotes with {@code \"}, {@code \\}, {@code \n},
 * {@code \r}, {@code \t} and {@code \}{@code uXXXX} escapes, so any value stays on its line and
 * {@link #parse} gives it back. {@link TunnelierLogEncoder} writes it; {@code kubectl tunnelier
 * logs} reads it.
 */
public final class Logfmt {
  private Logfmt() {}

  /** Appends {@code key=value} (with a leading space unless {@code out} is empty). */
  public static StringBuilder append(StringBuilder out, String key, Object value) {
    if (!out.isEmpty()) {
      out.append(' ');
    }
    appendKey(out, key);
    out.append('=');
    String text = String.valueOf(value);
    if (needsQuotes(text)) {
      appendQuoted(out, text);
    } else {
      out.append(text);
    }
    return out;
  }

  /** Appends {@code key="value"}: quoted even when it would not need it (the message). */
  public static StringBuilder appendQuoted(StringBuilder out, String key, Object value) {
    if (!out.isEmpty()) {
      out.append(' ');
    }
    appendKey(out, key);
    out.append('=');
    appendQuoted(out, String.valueOf(value));
    return out;
  }

  private static void appendKey(StringBuilder out, String key) {
    if (key == null || key.isEmpty()) {
      out.append('_');
      return;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-'
              || c == '.'
              || c == '/';
      out.append(plain ? c : '_');
    }
  }

  static boolean needsQuotes(String text) {
    if (text.isEmpty()) {
      return true;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '"' || c == '=' || c == '\\') {
        return true;
      }
    }
    return false;
  }

  private static void appendQuoted(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          // Control characters, and what some readers take for a line break (NEL, U+2028/9).
          if (c < ' ' || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /**
   * The pairs of one line, in order (a repeated key keeps its last value; a key without {@code =}
   * has the value {@code ""}).
   *
   * @throws IllegalArgumentException when a quoted value is not closed or has a bad escape
   */
  public static Map<String, String> parse(String line) {
    Map<String, String> pairs = new LinkedHashMap<>();
    int i = 0;
    int n = line.length();
    while (i < n) {
      if (line.charAt(i) == ' ') {
        i++;
        continue;
      }
      int keyStart = i;
      while (i < n && line.charAt(i) != '=' && line.charAt(i) != ' ') {
        i++;
      }
      String key = line.substring(keyStart, i);
      if (i >= n || line.charAt(i) == ' ') {
        pairs.put(key, "");
        continue;
      }
      i++; // '='
      if (i < n && line.charAt(i) == '"') {
        StringBuilder value = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException("unterminated quoted value of " + key);
          }
          char c = line.charAt(i++);
          if (c == '"') {
            break;
          }
          if (c != '\\') {
            value.append(c);
            continue;
          }
          if (i >= n) {
            throw new IllegalArgumentException("unterminated escape in the value of " + key);
          }
          char e = line.charAt(i++);
          switch (e) {
            case '"', '\\', '/' -> value.append(e);
            case 'n' -> value.append('\n');
            case 'r' -> value.append('\r');
            case 't' -> value.append('\t');
            case 'u' -> {
              if (i + 4 > n) {
                throw new IllegalArgumentException("short \\u escape in the value of " + key);
              }
              try {
                value.append((char) Integer.parseInt(line.substring(i, i + 4), 16));
              } catch (NumberFormatException bad) {
                throw new IllegalArgumentException("bad \\u escape in the value of " + key);
              }
              i += 4;
            }
            default ->
                throw new IllegalArgumentException("bad escape \\" + e + " in the value of " + key);
          }
        }
        pairs.put(key, value.toString());
      } else {
        int valueStart = i;
        while (i < n && line.charAt(i) != ' ') {
          i++;
        }
        pairs.put(key, line.substring(valueStart, i));
      }
    }
    return pairs;
  }
}
