package io.tunnelier.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Shape of the corpora of bad Tunnels; the real API server rejects each one with the message it
 * names in e2e's TunnelValidationIT (malformed) and ChartPoliciesIT (hostile, with the chart's
 * admission policies installed).
 */
class InvalidTunnelCorpusTest {
  @Test
  void corpusIsLargeWellFormedAndUnique() {
    assertWellFormed(InvalidTunnelCorpus.load());
  }

  @Test
  void hostileCorpusIsLargeWellFormedAndUnique() {
    List<InvalidTunnelCorpus.Case> cases = InvalidTunnelCorpus.hostile();
    assertWellFormed(cases);
    assertThat(cases)
        .filteredOn(c -> c.refusedBy() == InvalidTunnelCorpus.RefusedBy.POLICY)
        .hasSizeGreaterThanOrEqualTo(6);
  }

  /** Each hostile case refused by the CRD quotes a rule's message of the committed CRD exactly. */
  @Test
  @SuppressWarnings("deprecation") // Serialization.yamlMapper: fabric8's YAML mapper, test-only
  void hostileCrdMessagesAreTheCrdsOwn() throws IOException {
    JsonNode crd =
        Serialization.yamlMapper()
            .readTree(Files.readString(Path.of("tunnels.tunnelier.io-v1.yml")));
    Set<String> messages = new HashSet<>();
    for (JsonNode rules : crd.findValues("x-kubernetes-validations")) {
      rules.forEach(rule -> messages.add(rule.get("message").asText()));
    }
    for (InvalidTunnelCorpus.Case c : InvalidTunnelCorpus.hostile()) {
      if (c.refusedBy() == InvalidTunnelCorpus.RefusedBy.CRD) {
        String message = c.expect().replaceFirst("^[^ ]+: Invalid value: \"[^\"]*\": ", "");
        assertThat(messages).as("case %s", c.name()).contains(message);
      }
    }
  }

  private static void assertWellFormed(List<InvalidTunnelCorpus.Case> cases) {
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
