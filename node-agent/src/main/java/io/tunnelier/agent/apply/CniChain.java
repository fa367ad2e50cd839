package io.tunnelier.agent.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Puts the CNI plugin (cni-plugin/) into the node's CNI configuration and takes it out again: its
 * binary into the runtime's plugin directory, and an entry at the end of the chain of the
 * configuration the runtime uses, the first file of the configuration directory by name (as
 * containerd and CRI-O pick it). The other plugins' entries are left as they are. Each file is
 * written whole under another name and renamed, so the runtime never reads half of one.
 *
 * <p>The cluster's own CNI may rewrite its file (flannel does when its pod starts): each pass
 * checks the chain again, so the entry is back within a pass.
 */
public final class CniChain {
  /** The plugin's binary name, which is also its {@code type} in the chain. */
  public static final String TYPE = "tunnelier-cni";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final List<String> CONF_EXTENSIONS = List.of(".conflist", ".conf", ".json");

  private final Path plugin;
  private final Path binDir;
  private final Path confDir;
  private final Path guardFile;

  /**
   * @param plugin the binary this agent carries (its image's copy)
   * @param binDir where the runtime finds CNI plugins (the node's {@code /opt/cni/bin})
   * @param confDir the runtime's CNI configuration directory (the node's {@code /etc/cni/net.d})
   * @param guardFile the guarded namespaces' file, as the node sees it: the plugin runs there
   */
  public CniChain(Path plugin, Path binDir, Path confDir, Path guardFile) {
    this.plugin = plugin;
    this.binDir = binDir;
    this.confDir = confDir;
    this.guardFile = guardFile;
  }

  /**
   * Installs the binary (when it differs) and chains it last in the runtime's configuration.
   *
   * @return whether anything changed
   * @throws IOException also when there is no configuration yet (the cluster's CNI has not written
   *     it) or it cannot be chained (a single-plugin {@code .conf})
   */
  public boolean chain() throws IOException {
    boolean changed = installBinary();
    Path conf = activeConf();
    if (conf == null) {
      throw new IOException(
          "no CNI configuration in " + confDir + " yet: the cluster's CNI writes it; next pass");
    }
    ObjectNode root = read(conf);
    if (!(root.get("plugins") instanceof ArrayNode plugins)) {
      throw new IOException(
          conf + " is a single-plugin configuration: chaining needs a .conflist with \"plugins\"");
    }
    ObjectNode ours = JSON.createObjectNode();
    ours.put("type", TYPE);
    ours.put("guardedNamespacesFile", guardFile.toString());
    JsonNode last = plugins.isEmpty() ? null : plugins.get(plugins.size() - 1);
    if (ours.equals(last) && countOurs(plugins) == 1) {
      return changed;
    }
    removeOurs(plugins);
    plugins.add(ours);
    write(conf, root);
    return true;
  }

  /**
   * Takes the entry out of every configuration file, then the binary: in that order, so no runtime
   * calls a plugin that is gone.
   *
   * @return whether anything changed
   */
  public boolean unchain() throws IOException {
    boolean changed = false;
    for (Path conf : confFiles()) {
      ObjectNode root;
      try {
        root = read(conf);
      } catch (IOException e) {
        continue; // not ours to judge; it has no entry of ours we could take out either
      }
      if (root.get("plugins") instanceof ArrayNode plugins && countOurs(plugins) > 0) {
        removeOurs(plugins);
        write(conf, root);
        changed = true;
      }
    }
    changed |= Files.deleteIfExists(binDir.resolve(TYPE));
    return changed;
  }

  /** The file the runtime uses: the first by name with a CNI configuration's extension. */
  Path activeConf() throws IOException {
    List<Path> files = confFiles();
    return files.isEmpty() ? null : files.get(0);
  }

  private List<Path> confFiles() throws IOException {
    if (!Files.isDirectory(confDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(confDir)) {
      return s.filter(Files::isRegularFile)
          .filter(
              p -> CONF_EXTENSIONS.stream().anyMatch(e -> p.getFileName().toString().endsWith(e)))
          .sorted()
          .toList();
    }
  }

  private boolean installBinary() throws IOException {
    Path target = binDir.resolve(TYPE);
    byte[] wanted = Files.readAllBytes(plugin);
    if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), wanted)) {
      return false;
    }
    Path tmp = binDir.resolve("." + TYPE + ".tmp");
    Files.write(tmp, wanted);
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    move(tmp, target);
    return true;
  }

  private static int countOurs(ArrayNode plugins) {
    int n = 0;
    for (JsonNode p : plugins) {
      n += TYPE.equals(p.path("type").asText()) ? 1 : 0;
    }
    return n;
  }

  private static void removeOurs(ArrayNode plugins) {
    List<Integer> ours = new ArrayList<>();
    for (int i = 0; i < plugins.size(); i++) {
      if (TYPE.equals(plugins.get(i).path("type").asText())) {
        ours.add(i);
      }
    }
    for (int i = ours.size() - 1; i >= 0; i--) {
      plugins.remove((int) ours.get(i));
    }
  }

  private static ObjectNode read(Path conf) throws IOException {
    JsonNode node = JSON.readTree(conf.toFile());
    if (!(node instanceof ObjectNode o)) {
      throw new IOException(conf + " is not a JSON object");
    }
    return o;
  }

  /** Written as a hidden file without a CNI extension, then renamed over the real one. */
  private static void write(Path conf, ObjectNode root) throws IOException {
    Path tmp = conf.resolveSibling("." + conf.getFileName() + ".tunnelier-tmp");
    Files.writeString(tmp, JSON.writeValueAsString(root) + "\n");
    move(tmp, conf);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
