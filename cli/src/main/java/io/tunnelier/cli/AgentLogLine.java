package io.tunnelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunnelier.api.logging.Logfmt;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One line of an agent's log, in either of its formats ({@code TUNNELIER_LOG_FORMAT}): text ({@link
 * Logfmt}, {@code ts=… level=… msg="…" tunnel=…}) or json (logback's JsonEncoder, one object per
 * line). Both become the same fields, and a json line is shown as text.
 */
record AgentLogLine(Map<String, String> fields) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

  /** The fields of {@code line}; empty when it is neither format (a JVM warning, a stack line). */
  static Optional<AgentLogLine> parse(String line) {
    String s = line.strip();
    if (s.startsWith("{")) {
      return json(s);
    }
    try {
      Map<String, String> fields = Logfmt.parse(s);
      return fields.containsKey("msg") ? Optional.of(new AgentLogLine(fields)) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<AgentLogLine> json(String s) {
    JsonNode node;
    try {
      node = JSON.readTree(s);
    } catch (Exception e) {
      return Optional.empty();
    }
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    Map<String, String> fields = new LinkedHashMap<>();
    if (node.path("timestamp").isNumber()) {
      fields.put("ts", TIME.format(Instant.ofEpochMilli(node.get("timestamp").asLong())));
    }
    putText(fields, "level", node.get("level"));
    String logger = node.path("loggerName").asText("");
    if (!logger.isEmpty()) {
      fields.put("logger", logger.substring(logger.lastIndexOf('.') + 1));
    }
    putText(fields, "thread", node.get("threadName"));
    JsonNode message =
        node.has("formattedMessage") ? node.get("formattedMessage") : node.get("message");
    if (message == null || message.isNull()) {
      return Optional.empty();
    }
    fields.put("msg", message.asText());
    node.path("mdc").properties().forEach(f -> fields.put(f.getKey(), f.getValue().asText()));
    for (JsonNode pair : node.path("kvpList")) {
      pair.properties().forEach(f -> fields.put(f.getKey(), f.getValue().asText()));
    }
    JsonNode thrown = node.get("throwable");
    if (thrown != null && thrown.isObject()) {
      fields.put(
          "exception",
          thrown.path("className").asText("")
              + (thrown.path("message").isTextual() ? ": " + thrown.get("message").asText() : ""));
    }
    return Optional.of(new AgentLogLine(fields));
  }

  private static void putText(Map<String, String> fields, String key, JsonNode value) {
    if (value != null && !value.isNull()) {
      fields.put(key, value.asText());
    }
  }

  /** The line in the text format. */
  String text() {
    StringBuilder b = new StringBuilder();
    fields.forEach(
        (k, v) -> {
          if (k.equals("msg")) {
            Logfmt.appendQuoted(b, k, v);
          } else {
            Logfmt.append(b, k, v);
          }
        });
    return b.toString();
  }
}
