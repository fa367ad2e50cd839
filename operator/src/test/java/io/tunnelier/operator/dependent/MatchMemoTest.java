package io.tunnelier.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MatchMemoTest {
  private final MatchMemo<Secret> memo = new MatchMemo<>();
  private final AtomicInteger fullMatches = new AtomicInteger();

  private static Secret secret(String resourceVersion, String value) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("t-keys")
        .withNamespace("ns")
        .withUid("uid-1")
        .withResourceVersion(resourceVersion)
        .endMetadata()
        .withData(Map.of("k", value))
        .build();
  }

  private boolean match(Secret actual, Secret desired, boolean answer) {
    return memo.match(
            actual,
            desired,
            () -> {
              fullMatches.incrementAndGet();
              return Matcher.Result.computed(answer, desired);
            })
        .matched();
  }

  @Test
  void theSameStateAgainstTheSameDesiredIsComparedOnce() {
    assertThat(match(secret("7", "a"), secret(null, "a"), true)).isTrue();
    assertThat(match(secret("7", "a"), secret(null, "a"), true)).isTrue();
    assertThat(fullMatches).hasValue(1);
  }

  @Test
  void aNewResourceVersionOrANewDesiredIsComparedInFull() {
    match(secret("7", "a"), secret(null, "a"), true);
    // Someone edited it: drift must be seen.
    assertThat(match(secret("8", "b"), secret(null, "a"), false)).isFalse();
    match(secret("9", "a"), secret(null, "a"), true);
    // What the operator wants changed.
    assertThat(match(secret("9", "a"), secret(null, "c"), false)).isFalse();
    assertThat(fullMatches).hasValue(4);
  }

  @Test
  void aMismatchIsNeverRemembered() {
    match(secret("7", "b"), secret(null, "a"), false);
    assertThat(match(secret("7", "b"), secret(null, "a"), false)).isFalse();
    assertThat(fullMatches).hasValue(2);
  }
}
