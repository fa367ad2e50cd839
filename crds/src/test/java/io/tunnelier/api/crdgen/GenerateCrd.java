package io.tunnelier.api.crdgen;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelSpec;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Build step (exec-maven-plugin, phase process-test-classes): generates the Tunnel CRD from the
 * Java classes with fabric8's crd-generator, adding the map-list markers it has no annotation for.
 * {@code CrdDriftTest} then compares the committed copies with this output.
 */
public final class GenerateCrd {
  private GenerateCrd() {}

  public static void main(String[] args) {
    File out = new File(args.length > 0 ? args[0] : "target/generated-crds");
    if (!out.isDirectory() && !out.mkdirs()) {
      throw new IllegalStateException("cannot create " + out);
    }
    int written =
        new CRDGenerator()
            .inOutputDir(out)
            .forCRDVersions("v1")
            .withParallelGenerationEnabled(false)
            .withPostProcessor(new MapListMarker())
            .customResourceClasses(Tunnel.class)
            .generate();
    if (written != 1) {
      throw new IllegalStateException("expected one CRD, generated " + written);
    }
    System.out.println("[crd] generated " + new File(out, "tunnels.tunnelier.io-v1.yml"));
  }

  /** Adds x-kubernetes-list-type: map (and makes the keys required) where @MapListKeys says. */
  static final class MapListMarker implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      var definition = (CustomResourceDefinition) crd;
      for (var version : definition.getSpec().getVersions()) {
        orderPrinterColumns(version);
        JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
        Map<String, JSONSchemaProps> top = root.getProperties();
        for (MapListPaths.Entry entry : MapListPaths.find("spec", TunnelSpec.class)) {
          mark(top, entry);
        }
        for (MapListPaths.Entry entry : MapListPaths.find("status", TunnelStatus.class)) {
          mark(top, entry);
        }
      }
      return crd;
    }

    /** kubectl shows columns in list order; the generator sorts them, so restore ours. */
    private static void orderPrinterColumns(CustomResourceDefinitionVersion version) {
      List<String> declared =
          Arrays.stream(Tunnel.class.getAnnotationsByType(AdditionalPrinterColumn.class))
              .map(AdditionalPrinterColumn::name)
              .toList();
      version
          .getAdditionalPrinterColumns()
          .sort(Comparator.comparingInt(column -> declared.indexOf(column.getName())));
    }

    private static void mark(Map<String, JSONSchemaProps> top, MapListPaths.Entry entry) {
      JSONSchemaProps node = null;
      Map<String, JSONSchemaProps> props = top;
      for (String segment : entry.path()) {
        if (segment.equals("[]")) {
          node = node.getItems().getSchema();
          props = node.getProperties();
          continue;
        }
        node = props.get(segment);
        if (node == null) {
          throw new IllegalStateException("no schema at " + entry.path());
        }
        props = node.getProperties();
      }
      node.setXKubernetesListType("map");
      node.setXKubernetesListMapKeys(List.of(entry.keys()));
      JSONSchemaProps items = node.getItems().getSchema();
      List<String> required =
          new ArrayList<>(items.getRequired() == null ? List.of() : items.getRequired());
      for (String key : entry.keys()) {
        if (!required.contains(key)) {
          required.add(key);
        }
      }
      required.sort(String::compareTo);
      items.setRequired(required);
    }
  }
}
