package io.tunnelier.agent.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.agent.DaemonThreads;
import io.tunnelier.agent.plan.ClusterSnapshot;
import io.tunnelier.agent.plan.NodeInfo;
import io.tunnelier.agent.plan.PodInfo;
import io.tunnelier.agent.plan.TunnelKeys;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tunnels, Nodes, Pods and key Secrets from a multi-document YAML file instead of the API server:
 * for tests on the real kernel without a control plane, and for dry runs ({@code plan}). The file
 * is watched (modification time, every second) and re-read when it changes.
 */
public final class FileClusterView implements ClusterView {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final Path file;
  private ScheduledExecutorService watcher;

  public FileClusterView(Path file) {
    this.file = file;
  }

  @Override
  public void start(Runnable onChange) throws IOException {
    FileTime[] seen = {Files.getLastModifiedTime(file)};
    watcher = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("cluster-file-watch"));
    watcher.scheduleWithFixedDelay(
        () -> {
          try {
            FileTime now = Files.getLastModifiedTime(file);
            if (!now.equals(seen[0])) {
              seen[0] = now;
              onChange.run();
            }
          } catch (IOException ignored) {
            // the file is being replaced; try again
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
  }

  @Override
  public void awaitReady() {}

  @Override
  public ClusterSnapshot snapshot() throws IOException {
    List<Tunnel> tunnels = new ArrayList<>();
    List<NodeInfo> nodes = new ArrayList<>();
    List<PodInfo> pods = new ArrayList<>();
    Map<String, TunnelKeys> keys = new HashMap<>();
    ObjectMapper json = Serialization.jsonMapper();
    try (MappingIterator<JsonNode> docs =
        YAML.readerFor(JsonNode.class).readValues(Files.readString(file))) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
          continue;
        }
        switch (doc.path("kind").asText()) {
          case "Tunnel" -> tunnels.add(json.convertValue(doc, Tunnel.class));
          case "Node" -> nodes.add(KubeObjects.node(json.convertValue(doc, Node.class)));
          case "Pod" -> pods.add(KubeObjects.pod(json.convertValue(doc, Pod.class)));
          case "Secret" -> {
            Secret s = json.convertValue(doc, Secret.class);
            String name = s.getMetadata().getName();
            String ns = s.getMetadata().getNamespace();
            if (name.endsWith("-keys")) {
              String k = ns + "/" + name.substring(0, name.length() - "-keys".length());
              TunnelKeys read = KubeObjects.keys(s);
              TunnelKeys have = keys.get(k);
              byte[] peer =
                  read.peerPublicKey() != null || have == null
                      ? read.peerPublicKey()
                      : have.peerPublicKey();
              keys.put(k, new TunnelKeys(read.privateKey(), peer));
            } else if (name.endsWith("-peer-config")) {
              // The operator's Secret: only its peerPublicKey is used.
              String k = ns + "/" + name.substring(0, name.length() - "-peer-config".length());
              TunnelKeys have = keys.get(k);
              if (have == null || have.peerPublicKey() == null) {
                keys.put(
                    k,
                    new TunnelKeys(
                        have == null ? null : have.privateKey(), KubeObjects.peerPublicKey(s)));
              }
            }
          }
          default ->
              throw new IOException(file + ": unexpected kind '" + doc.path("kind").asText() + "'");
        }
      }
    }
    return new ClusterSnapshot(tunnels, nodes, pods, keys);
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.shutdownNow();
    }
  }
}
