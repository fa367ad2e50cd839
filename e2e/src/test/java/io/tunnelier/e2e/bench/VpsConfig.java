package io.tunnelier.e2e.bench;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tunnelier.api.peerconfig.StandaloneConfig;
import io.tunnelier.api.peerconfig.StandaloneConfigParser;
import io.tunnelier.api.peerconfig.StandaloneTunnel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The VPS's standalone config as one file serving many Tunnels: each Tunnel's entry comes from its
 * {@code <name>-peer-config} Secret (what a user copies to the VPS), merged by name. Rewritten
 * atomically; the caller then makes the VPS agent re-read it (SIGHUP).
 */
final class VpsConfig {
  private final Path file;
  private final Map<String, StandaloneTunnel> tunnels = new LinkedHashMap<>();

  VpsConfig(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /**
   * Adds the Tunnel's entry from its peer-config Secret; false when the Secret is not there yet.
   */
  boolean addFromSecret(KubernetesClient client, String namespace, String tunnel) {
    return add(client.secrets().inNamespace(namespace).withName(tunnel + "-peer-config").get());
  }

  /** The same, from the peer-config Secret itself (as an informer delivers it). */
  boolean add(Secret s) {
    if (s == null || s.getData() == null || !s.getData().containsKey("peer.yaml")) {
      return false;
    }
    String yaml =
        new String(
            Base64.getDecoder().decode(s.getData().get("peer.yaml")), StandardCharsets.UTF_8);
    try {
      String tunnel = s.getMetadata().getName().replaceFirst("-peer-config$", "");
      for (StandaloneTunnel t : StandaloneConfigParser.parse(yaml, tunnel).getTunnels()) {
        tunnels.put(t.getName(), t);
      }
    } catch (io.tunnelier.api.peerconfig.InvalidStandaloneConfigException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return true;
  }

  /** Drops the entry of {@code namespace/tunnel}. */
  void remove(String namespace, String tunnel) {
    tunnels.remove(namespace + "/" + tunnel);
  }

  int size() {
    return tunnels.size();
  }

  void write() {
    StandaloneConfig config = new StandaloneConfig();
    config.setTunnels(new ArrayList<>(tunnels.values()));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, StandaloneConfigParser.write(config));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
