package io.tunnelier.e2e.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

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
    return template(directory(), namespace, values);
  }

  private static String template(Path chart, String namespace, Map<String, Object> values) {
    TemplateCommand command =
        new Helm(chart)
            .template()
            .withName(RELEASE)
            .withNamespace(namespace)
            .withKubeVersion(KUBE_VERSION);
    values.forEach(command::set);
    return command.call();
  }

  /**
   * The hooks ({@code helm test}'s Pod) as {@link #template} would render them: helm-java renders
   * only the release's manifest, so this renders a copy of the chart in {@code scratch} whose
   * templates lost their {@code helm.sh/hook} annotations.
   */
  static String templateHooks(Path scratch, String namespace, Map<String, Object> values) {
    Path copy = scratch.resolve("tunnelier");
    try (Stream<Path> files = Files.walk(directory())) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = copy.resolve(directory().relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else if (file.toString().endsWith(".yaml")) {
          Files.writeString(
              target, Files.readString(file).replaceAll("(?m)^\\s*helm\\.sh/hook.*\\R", ""));
        } else {
          Files.copy(file, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return template(copy, namespace, values);
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
