package io.tunnelier.operator.pods;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a {@code metav1.LabelSelector} selects a set of labels, as Kubernetes decides it. Pure.
 */
public final class LabelSelectors {
  private LabelSelectors() {}

  /**
   * A null selector selects nothing; an empty one everything; otherwise every {@code matchLabels}
   * entry and every {@code matchExpressions} requirement must hold.
   */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> actual = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
        if (!Objects.equals(actual.get(wanted.getKey()), wanted.getValue())) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
        if (!holds(requirement, actual)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean holds(LabelSelectorRequirement requirement, Map<String, String> labels) {
    String key = requirement.getKey();
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    boolean present = labels.containsKey(key);
    return switch (String.valueOf(requirement.getOperator())) {
      case "In" -> present && values.contains(labels.get(key));
      case "NotIn" -> !present || !values.contains(labels.get(key));
      case "Exists" -> present;
      case "DoesNotExist" -> !present;
      // The API server rejects other operators; should one get through, it selects nothing.
      default -> false;
    };
  }
}
