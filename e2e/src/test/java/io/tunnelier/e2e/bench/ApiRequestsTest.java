package io.tunnelier.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.e2e.controlplane.AuditLog;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiRequestsTest {
  private static final String OPERATOR =
      "system:serviceaccount:tunnelier-system:tunnelier-operator";

  private static AuditLog.Event event(String stage, String verb, String resource, String sub) {
    return new AuditLog.Event(
        stage,
        OPERATOR,
        verb,
        "/apis/x",
        "tunnelier.io",
        resource,
        sub,
        "ns",
        "t",
        200,
        null,
        null);
  }

  @Test
  void eachRequestCountsOnceAndWatchesWhenTheyStart() {
    ApiRequests r =
        ApiRequests.of(
            List.of(
                event("ResponseComplete", "patch", "tunnels", "status"),
                event("ResponseComplete", "patch", "tunnels", "status"),
                event("ResponseStarted", "watch", "tunnels", null),
                event("ResponseComplete", "watch", "tunnels", null),
                event("ResponseComplete", "create", "events", null)));

    assertThat(r.byCall())
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of(
                "tunnelier-operator patch tunnels/status", 2L,
                "tunnelier-operator watch tunnels", 1L,
                "tunnelier-operator create events", 1L));
    assertThat(r.total()).isEqualTo(4);
    assertThat(r.describe(2))
        .startsWith("4 requests, 2.0 per Tunnel")
        .contains("     2   1.00 per Tunnel  tunnelier-operator patch tunnels/status");
    assertThat(r.describePerMinute(java.time.Duration.ofSeconds(30)))
        .startsWith("4 requests, 8.0 per minute")
        .contains("     2   4.00 per minute  tunnelier-operator patch tunnels/status");
  }
}
