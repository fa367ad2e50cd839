package io.tunnelier.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Building and merging {@code metav1.Condition}s, the way the Kubernetes API conventions ask. */
public final class Conditions {
  private Conditions() {}

  /** A condition without a transition time yet; {@link #merge} sets it. */
  public static Condition of(String type, boolean status, String reason, String message) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .build();
  }

  /**
   * The new conditions, each with {@code observedGeneration} set and the previous {@code
   * lastTransitionTime} kept when its status did not change ({@code now} otherwise).
   */
  public static List<Condition> merge(
      List<Condition> previous, List<Condition> desired, Instant now, Long generation) {
    String nowText = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<Condition> merged = new ArrayList<>();
    for (Condition want : desired) {
      Optional<Condition> before = find(previous, want.getType());
      String transition =
          before
              .filter(b -> Objects.equals(b.getStatus(), want.getStatus()))
              .map(Condition::getLastTransitionTime)
              .filter(Objects::nonNull)
              .orElse(nowText);
      merged.add(
          new ConditionBuilder(want)
              .withLastTransitionTime(transition)
              .withObservedGeneration(generation)
              .build());
    }
    return merged;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  public static boolean isFalse(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> "False".equals(c.getStatus())).orElse(false);
  }
}
