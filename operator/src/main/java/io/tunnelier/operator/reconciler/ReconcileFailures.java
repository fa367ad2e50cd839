package io.tunnelier.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a failed reconcile was: a user's mistake ({@link TunnelProblem}: a condition and an Event,
 * no retry loop), a conflict (someone else wrote first: retried quietly) or an unexpected error
 * (described without request bodies, which may hold keys). Pure.
 */
final class ReconcileFailures {
  private ReconcileFailures() {}

  static Optional<TunnelProblem> problemIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TunnelProblem problem) {
        return Optional.of(problem);
      }
      if (t instanceof AggregatedOperatorException aggregated) {
        for (Exception inner : aggregated.getAggregatedExceptions().values()) {
          Optional<TunnelProblem> found = problemIn(inner);
          if (found.isPresent()) {
            return found;
          }
        }
      }
    }
    return Optional.empty();
  }

  static boolean isConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == 409) {
        return true;
      }
      if (t instanceof AggregatedOperatorException aggregated
          && !aggregated.getAggregatedExceptions().isEmpty()
          && aggregated.getAggregatedExceptions().values().stream()
              .allMatch(ReconcileFailures::isConflict)) {
        return true;
      }
    }
    return false;
  }

  /** A short description of an unexpected error: never a request body, which may hold keys. */
  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k) {
        String detail =
            k.getStatus() != null && k.getStatus().getMessage() != null
                ? k.getStatus().getMessage()
                : "HTTP " + k.getCode();
        return "the API server refused a request (HTTP " + k.getCode() + "): " + detail;
      }
      if (t instanceof AggregatedOperatorException aggregated) {
        return aggregated.getAggregatedExceptions().entrySet().stream()
            .map(en -> en.getKey() + ": " + describe(en.getValue()))
            .collect(Collectors.joining("; "));
      }
    }
    return e.getClass().getSimpleName() + ": see the operator log";
  }
}
