package io.tunnelier.e2e.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The chart in charts/tunnelier, rendered with helm-java (Helm's own Go code, no binary). */
final class TunnelierChart {
  static final String RELEASE = "tunnelier";
  static final String KUBE_VERSION = "1.36.3";

  private TunnelierChart() {}

  /** charts/tunnelier of this checkout. */
  static Path directory() {
    Path root =
        Optional.ofNullable(System.getProperty("tunnelier.repo.root"))
            .map(Path::of)
            .orElseGet(() -> Path.of("").toAbsolutePath().getParent());
    Path chart = root.resolve("charts/tunnelier");
    if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
      throw new IllegalStateException("no chart at " + chart);
    }
    return chart;
  }

  /** {@code helm template tunnelier charts/tunnelier -n <namespace> --set k=v ...}. */
  static String template(String namespace, Map<String, Object> values) {
    TemplateCommand command =
        new Helm(directory())
            .template()
            .withName(RELEASE)
            .withNamespace(namespace)
            .withKubeVersion(KUBE_VERSION);
    values.forEach(command::set);
    return command.call();
  }

  /** The rendered objects, typed by fabric8 (Deployment, ClusterRole, ...). */
  static List<HasMetadata> objects(String rendered) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : rendered.split("(?m)^---\\s*$")) {
      if (document.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        continue;
      }
      objects.add(Serialization.unmarshal(document));
    }
    return objects;
  }
}
