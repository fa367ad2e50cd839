package io.tunnelier.agent.apply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SortedSet;

/**
 * The file the CNI plugin reads to know which namespaces' new pods to hold: one namespace per line.
 * It lives on the node's disk, so after a reboot the plugin holds before the agent is back. Written
 * whole to a temporary file and renamed over the old one, so the plugin never reads half of it.
 */
public final class GuardedNamespacesFile {
  public static final String NAME = "guarded-namespaces";
  private static final String HEADER =
      "# Written by the Tunnelier node agent: the CNI plugin holds new pods of these namespaces\n"
          + "# until the agent has programmed them. Do not edit.\n";

  private final Path file;

  public GuardedNamespacesFile(Path directory) {
    this.file = directory.resolve(NAME);
  }

  public Path path() {
    return file;
  }

  /** Writes the namespaces unless the file already says exactly that. */
  public boolean write(SortedSet<String> namespaces) throws IOException {
    String content = HEADER + String.join("\n", namespaces) + (namespaces.isEmpty() ? "" : "\n");
    try {
      if (Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
        return false;
      }
    } catch (NoSuchFileException e) {
      Files.createDirectories(file.getParent());
    }
    Path tmp = file.resolveSibling(NAME + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return true;
  }

  /** Removes the file: the plugin then holds nothing. */
  public boolean delete() throws IOException {
    return Files.deleteIfExists(file);
  }
}
