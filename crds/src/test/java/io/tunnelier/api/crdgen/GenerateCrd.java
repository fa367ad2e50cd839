package io.tunnelier.api.crdgen;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRuleBuilder;
import io.tunnelier.api.v1alpha1.ListItems;
import io.tunnelier.api.v1alpha1.MapListKeys;
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
            .withPostProcessor(new SchemaMarkers())
            .customResourceClasses(Tunnel.class)
            .generate();
    if (written != 1) {
      throw new IllegalStateException("expected one CRD, generated " + written);
    }
    System.out.println("[crd] generated " + new File(out, "tunnels.tunnelier.io-v1.yml"));
  }

  /**
   * Adds what fabric8's generator has no annotation for: map lists ({@link MapListKeys}) and item
   * schemas ({@link ListItems}); and keeps the printer columns in declaration order.
   */
  static final class SchemaMarkers implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      var definition = (CustomResourceDefinition) crd;
      for (var version : definition.getSpec().getVersions()) {
        orderPrinterColumns(version);
        Map<String, JSONSchemaProps> top = version.getSchema().getOpenAPIV3Schema().getProperties();
        for (Class<?>[] root : new Class<?>[][] {{TunnelSpec.class}, {TunnelStatus.class}}) {
          String name = root[0] == TunnelSpec.class ? "spec" : "status";
          for (var entry : AnnotatedPaths.find(name, root[0], MapListKeys.class)) {
            markMapList(at(top, entry.path()), entry.annotation().value());
          }
          for (var entry : AnnotatedPaths.find(name, root[0], ListItems.class)) {
            describeItems(at(top, entry.path()), entry.annotation());
          }
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

    private static JSONSchemaProps at(Map<String, JSONSchemaProps> top, List<String> path) {
      JSONSchemaProps node = null;
      Map<String, JSONSchemaProps> props = top;
      for (String segment : path) {
        node = segment.equals("[]") ? node.getItems().getSchema() : props.get(segment);
        if (node == null) {
          throw new IllegalStateException("no schema at " + path);
        }
        props = node.getProperties();
      }
      return node;
    }

    /** Server-side apply merges map-list entries by key; keys must be required. */
    private static void markMapList(JSONSchemaProps list, String[] keys) {
      list.setXKubernetesListType("map");
      list.setXKubernetesListMapKeys(List.of(keys));
      JSONSchemaProps items = list.getItems().getSchema();
      List<String> required =
          new ArrayList<>(items.getRequired() == null ? List.of() : items.getRequired());
      for (String key : keys) {
        if (!required.contains(key)) {
          required.add(key);
        }
      }
      required.sort(String::compareTo);
      items.setRequired(required);
    }

    private static void describeItems(JSONSchemaProps list, ListItems spec) {
      JSONSchemaProps items = list.getItems().getSchema();
      items.setMaxLength(spec.maxLength());
      List<ValidationRule> rules = new ArrayList<>();
      for (var rule : spec.rules()) {
        rules.add(
            new ValidationRuleBuilder().withRule(rule.value()).withMessage(rule.message()).build());
      }
      if (!rules.isEmpty()) {
        items.setXKubernetesValidations(rules);
      }
    }
  }
}
