package io.tunnelier.api.crdgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRD users install is committed twice (crds/ and the Helm chart); both must equal what the
 * build generates from the Java classes, so nobody edits the YAML by hand.
 */
class CrdDriftTest {
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path GENERATED =
      MODULE.resolve("target/generated-crds/tunnels.tunnelier.io-v1.yml");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tunnels.tunnelier.io-v1.yml",
        "../charts/tunnelier/crds/tunnels.tunnelier.io-v1.yml"
      })
  void committedCopyEqualsGenerated(String committed) throws IOException {
    Path copy = MODULE.resolve(committed).normalize();
    assertThat(GENERATED).as("the build step GenerateCrd runs before the tests").exists();
    assertThat(copy).as("committed CRD").exists();
    assertThat(Files.readString(copy))
        .as(
            "%s differs from the CRD generated from the Java classes. Change the classes in"
                + " crds/src/main/java, not the YAML; then copy %s over it.",
            MODULE.getParent().relativize(copy), MODULE.getParent().relativize(GENERATED))
        .isEqualTo(Files.readString(GENERATED));
  }
}
