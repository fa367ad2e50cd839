package io.tunnelier.agent.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tunnelier.api.v1alpha1.NodeStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the latest entry of every tunnel in a JSON file ({@code {"ns/name": {...}}}), replaced
 * atomically: the standalone agent's status, and what tests read.
 */
public final class FileStatusSink implements StatusSink {
  private static final Logger LOG = LoggerFactory.getLogger(FileStatusSink.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final Path file;
  private final Map<String, NodeStatus> entries = new TreeMap<>();

  public FileStatusSink(Path file) {
    this.file = file;
  }

  @Override
  public synchronized void report(String tunnelKey, NodeStatus entry) {
    entries.put(tunnelKey, entry);
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, JSON.writeValueAsString(entries));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.atWarn()
          .setMessage("cannot write status file")
          .addKeyValue("file", file)
          .addKeyValue("error", e.getMessage())
          .log();
    }
  }
}
