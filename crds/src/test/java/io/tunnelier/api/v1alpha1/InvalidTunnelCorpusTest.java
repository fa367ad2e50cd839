package io.tunnelier.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Shape of the corpus of bad Tunnels; the real API server rejects each one in e2e's
 * TunnelValidationIT with the message it names.
 */
class InvalidTunnelCorpusTest {
  @Test
  void corpusIsLargeWellFormedAndUnique() {
    List<InvalidTunnelCorpus.Case> cases = InvalidTunnelCorpus.load();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(30);
    Set<String> names = new HashSet<>();
    for (InvalidTunnelCorpus.Case c : cases) {
      assertThat(c.name()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
      assertThat(names.add(c.name())).as("duplicate case %s", c.name()).isTrue();
      assertThat(c.expect()).as("case %s names the message it must get", c.name()).isNotBlank();
      assertThat(c.tunnel().getMetadata().getName()).isEqualTo(c.name());
      assertThat(c.tunnel().getAdditionalProperties()).containsKey("spec");
    }
  }
}
