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
import java.util.Locale;
import java.util.Map;

/**
 * The tables of bad Tunnels: {@code validation/invalid-tunnels.yaml} (malformed specs) and {@code
 * validation/hostile-tunnels.yaml} (well-formed specs that would move traffic other than the
 * Tunnel's own pods'). Each case is a spec the API server must reject and (a fragment of) the
 * message it must give. Specs stay untyped, since many of them (an unknown enum value, a string for
 * a number) do not fit the Java model.
 */
public final class InvalidTunnelCorpus {
  public static final String RESOURCE = "validation/invalid-tunnels.yaml";
  public static final String HOSTILE = "validation/hostile-tunnels.yaml";

  /** What refuses a case: the CRD's schema and CEL rules, or the chart's admission policy. */
  public enum RefusedBy {
    CRD,
    POLICY
  }

  /** One bad Tunnel. */
  public record Case(
      String name, String expect, RefusedBy refusedBy, GenericKubernetesResource tunnel) {
    @Override
    public String toString() {
      return name;
    }
  }

  private InvalidTunnelCorpus() {}

  /** The malformed Tunnels. */
  public static List<Case> load() {
    return load(RESOURCE);
  }

  /** The hostile Tunnels. */
  public static List<Case> hostile() {
    return load(HOSTILE);
  }

  @SuppressWarnings("deprecation") // Serialization.yamlMapper: fabric8's YAML mapper, test-only
  public static List<Case> load(String resource) {
    try (InputStream in =
        InvalidTunnelCorpus.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
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
        RefusedBy refusedBy =
            node.has("refusedBy")
                ? RefusedBy.valueOf(node.get("refusedBy").asText().toUpperCase(Locale.ROOT))
                : RefusedBy.CRD;
        cases.add(new Case(name, node.get("expect").asText(), refusedBy, tunnel));
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
