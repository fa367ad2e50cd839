package io.tunnelier.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LabelSelectorsTest {
  private static final Map<String, String> SCRAPER = Map.of("app", "scraper", "tier", "batch");

  private static LabelSelector selector(String yaml) {
    return Serialization.unmarshal(yaml, LabelSelector.class);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("no selector selects nothing", null, SCRAPER, false),
        Arguments.of("an empty selector selects everything", selector("{}"), SCRAPER, true),
        Arguments.of("empty selector, pod without labels", selector("{}"), null, true),
        Arguments.of("matchLabels equal", selector("matchLabels: {app: scraper}"), SCRAPER, true),
        Arguments.of("matchLabels differ", selector("matchLabels: {app: web}"), SCRAPER, false),
        Arguments.of(
            "matchLabels: every entry must hold",
            selector("matchLabels: {app: scraper, tier: web}"),
            SCRAPER,
            false),
        Arguments.of(
            "matchLabels on a pod without labels",
            selector("matchLabels: {app: scraper}"),
            null,
            false),
        Arguments.of(
            "In",
            selector("matchExpressions: [{key: app, operator: In, values: [web, scraper]}]"),
            SCRAPER,
            true),
        Arguments.of(
            "In, label missing",
            selector("matchExpressions: [{key: zone, operator: In, values: [a]}]"),
            SCRAPER,
            false),
        Arguments.of(
            "NotIn, other value",
            selector("matchExpressions: [{key: app, operator: NotIn, values: [web]}]"),
            SCRAPER,
            true),
        Arguments.of(
            "NotIn, listed value",
            selector("matchExpressions: [{key: app, operator: NotIn, values: [scraper]}]"),
            SCRAPER,
            false),
        Arguments.of(
            "NotIn, label missing",
            selector("matchExpressions: [{key: zone, operator: NotIn, values: [a]}]"),
            SCRAPER,
            true),
        Arguments.of(
            "Exists", selector("matchExpressions: [{key: tier, operator: Exists}]"), SCRAPER, true),
        Arguments.of(
            "Exists, label missing",
            selector("matchExpressions: [{key: zone, operator: Exists}]"),
            SCRAPER,
            false),
        Arguments.of(
            "DoesNotExist",
            selector("matchExpressions: [{key: zone, operator: DoesNotExist}]"),
            SCRAPER,
            true),
        Arguments.of(
            "DoesNotExist, label present",
            selector("matchExpressions: [{key: app, operator: DoesNotExist}]"),
            SCRAPER,
            false),
        Arguments.of(
            "matchLabels and matchExpressions together",
            selector(
                "matchLabels: {app: scraper}\n"
                    + "matchExpressions: [{key: tier, operator: NotIn, values: [batch]}]"),
            SCRAPER,
            false),
        Arguments.of(
            "an unknown operator selects nothing",
            selector("matchExpressions: [{key: app, operator: Like, values: [scr]}]"),
            SCRAPER,
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matches(String name, LabelSelector selector, Map<String, String> labels, boolean selected) {
    assertThat(LabelSelectors.matches(selector, labels)).isEqualTo(selected);
  }
}
