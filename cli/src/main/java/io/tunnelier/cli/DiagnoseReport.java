package io.tunnelier.cli;

import io.fabric8.kubernetes.api.model.Condition;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.util.List;
import java.util.Optional;

/** What {@code kubectl tunnelier diagnose} prints: every check, then the cause. */
public final class DiagnoseReport {
  private DiagnoseReport() {}

  public static String render(Snapshot s, List<CheckResult> results) {
    Tunnel t = s.tunnel();
    StringBuilder out = new StringBuilder();
    out.append("Tunnel ")
        .append(t.getMetadata().getNamespace())
        .append('/')
        .append(t.getMetadata().getName())
        .append(": ")
        .append(StatusView.json(t.getSpec().getType()))
        .append(" over ")
        .append(StatusView.json(t.getSpec().getEncapsulation()))
        .append(" to ")
        .append(t.getSpec().getPeer() == null ? "-" : t.getSpec().getPeer().getEndpoint())
        .append('\n');
    Optional<Condition> ready = StatusReads.tunnelCondition(t, "Ready");
    ready.ifPresent(
        c ->
            out.append(StatusReads.conditionText(c))
                .append(": ")
                .append(c.getMessage())
                .append('\n'));
    out.append('\n');
    int width = results.stream().mapToInt(r -> r.check().length()).max().orElse(0);
    for (CheckResult r : results) {
      out.append(String.format("%-4s  %-" + width + "s  %s%n", r.severity(), r.check(), r.what()));
      if (!r.todo().isEmpty()) {
        out.append(" ".repeat(6 + width + 2)).append("-> ").append(r.todo()).append('\n');
      }
    }
    out.append('\n');
    Optional<CheckResult> cause = Diagnosis.cause(s, results);
    if (cause.isEmpty()) {
      long warnings = results.stream().filter(r -> r.severity() == Severity.WARN).count();
      out.append(
          warnings == 0
              ? "No problem found.\n"
              : "No failure found; " + warnings + " warning(s) above.\n");
    } else {
      out.append("Cause: ")
          .append(cause.get().check())
          .append(": ")
          .append(cause.get().what())
          .append('\n')
          .append("What to do: ")
          .append(cause.get().todo())
          .append('\n');
    }
    return out.toString();
  }
}
