package io.tunnelier.e2e.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kube-apiserver's audit log (JSON lines, level Metadata): who made which request and what the
 * API server answered, including RBAC's decision. Read with {@link ControlPlane#auditLog()}.
 */
public final class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path path;

  AuditLog(Path path) {
    this.path = path;
  }

  /** One audited request (stage ResponseComplete, or ResponseStarted for a watch). */
  public record Event(
      String stage,
      String user,
      String verb,
      String requestUri,
      String apiGroup,
      String resource,
      String subresource,
      String namespace,
      String name,
      int code,
      String decision,
      String reason) {

    /** {@code resource}, {@code resource/subresource}, or the URL path of a non-resource call. */
    public String target() {
      if (resource == null) {
        int query = requestUri.indexOf('?');
        return query < 0 ? requestUri : requestUri.substring(0, query);
      }
      return subresource == null ? resource : resource + "/" + subresource;
    }
  }

  /** Every event so far whose user is {@code user}, in the order the API server wrote them. */
  public List<Event> eventsOf(String user) {
    return events().stream().filter(e -> user.equals(e.user())).toList();
  }

  /** Every event so far, of every ServiceAccount, in the order the API server wrote them. */
  public List<Event> events() {
    List<Event> events = new ArrayList<>();
    for (String line : lines()) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (IOException e) {
        throw new UncheckedIOException("bad audit log line: " + line, e);
      }
      String user = text(node.path("user"), "username");
      JsonNode object = node.path("objectRef");
      JsonNode annotations = node.path("annotations");
      events.add(
          new Event(
              text(node, "stage"),
              user,
              text(node, "verb"),
              text(node, "requestURI"),
              object.isMissingNode() ? null : orEmpty(text(object, "apiGroup")),
              text(object, "resource"),
              text(object, "subresource"),
              text(object, "namespace"),
              text(object, "name"),
              node.path("responseStatus").path("code").asInt(0),
              text(annotations, "authorization.k8s.io/decision"),
              text(annotations, "authorization.k8s.io/reason")));
    }
    return events;
  }

  private List<String> lines() {
    try {
      return Files.readAllLines(path);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? null : value.asText();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
