package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The table of bad Tunnels in {@code validation/invalid-tunnels.yaml}: each case is a spec the API
 * server must reject and a fragment of the message it must give. Specs stay untyped, since many of
 * them (an unknown enum value, a string for a number) do not fit the Java model.
 */
public final class InvalidTunnelCorpus {
  public static final String RESOURCE = "validation/invalid-tunnels.yaml";

  /** One bad Tunnel. */
  public record Case(String name, String expect, GenericKubernetesResource tunnel) {
    @Override
    public String toString() {
      return name;
    }
  }

  private InvalidTunnelCorpus() {}

  @SuppressWarnings("deprecation") // Serialization.yamlMapper: fabric8's YAML mapper, test-only
  public static List<Case> load() {
    try (InputStream in =
        InvalidTunnelCorpus.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + RESOURCE);
      }
      JsonNode root = Serialization.yamlMapper().readTree(in);
      List<Case> cases = new ArrayList<>();
      for (JsonNode node : root.get("cases")) {
        String name = node.get("name").asText();
        GenericKubernetesResource tunnel = new GenericKubernetesResource();
        tunnel.setApiVersion(Tunnel.GROUP + "/" + Tunnel.VERSION);
        tunnel.setKind("Tunnel");
        tunnel.setMetadata(new ObjectMetaBuilder().withName(name).build());
        @SuppressWarnings("unchecked")
        Map<String, Object> spec =
            Serialization.jsonMapper().convertValue(node.get("spec"), Map.class);
        tunnel.setAdditionalProperty("spec", spec);
        cases.add(new Case(name, node.get("expect").asText(), tunnel));
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
