package io.tunnelier.api.peerconfig;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the standalone agent's config file (peer.yaml on a VPS, written by a user or
 * copied from a Secret): any text is either a valid config, which writes back to one that parses
 * the same, or refused with {@link InvalidStandaloneConfigException} and its message. Nothing else
 * may escape (a NullPointerException or a Jackson exception would take the agent down with a stack
 * trace instead of a clear error).
 *
 * <p>Regression mode in the unit run (seeds under {@code StandaloneConfigParserFuzzTestInputs/});
 * to fuzz: {@code JAZZER_FUZZ=1 ./mvnw -B -pl crds test -Dtest='StandaloneConfigParserFuzzTest'
 * -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.max_duration=10m}
 */
class StandaloneConfigParserFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void parse(String yaml) {
    StandaloneConfig config;
    try {
      config = StandaloneConfigParser.parse(yaml, "peer.yaml");
    } catch (InvalidStandaloneConfigException e) {
      assertThat(e.getMessage()).startsWith("invalid standalone config peer.yaml:");
      return;
    }
    String written = StandaloneConfigParser.write(config);
    try {
      assertThat(StandaloneConfigParser.write(StandaloneConfigParser.parse(written, "again")))
          .isEqualTo(written);
    } catch (InvalidStandaloneConfigException e) {
      throw new AssertionError("a valid config wrote back to an invalid one: " + e.getMessage());
    }
  }
}
