package io.tunnelier.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file in examples/ is a Tunnel the Java model reads; TunnelValidationIT applies them. */
class ExamplesTest {
  static final Path EXAMPLES = Path.of("").toAbsolutePath().getParent().resolve("examples");

  static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleReadsAsTunnel(Path example) throws IOException {
    Tunnel tunnel = Serialization.unmarshal(Files.readString(example), Tunnel.class);
    assertThat(tunnel.getMetadata().getName()).isNotBlank();
    assertThat(tunnel.getMetadata().getNamespace()).isNotBlank();
    assertThat(tunnel.getSpec().getType()).isNotNull();
    assertThat(tunnel.getSpec().getPeer().getEndpoint()).isNotBlank();
  }
}
