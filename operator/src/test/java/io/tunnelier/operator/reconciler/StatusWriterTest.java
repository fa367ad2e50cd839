package io.tunnelier.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.v1alpha1.PeerStatus;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusWriterTest {
  private static final Instant LAST = Instant.parse("2026-12-06T10:00:00Z");

  private static TunnelStatus status(String gateway, double rtt, long rx) {
    TunnelStatus s = new TunnelStatus();
    s.setActiveGateway(gateway);
    PeerStatus peer = new PeerStatus();
    peer.setEndpoint("203.0.113.10:51820");
    peer.setRttMillis(rtt);
    peer.setRxBytes(rx);
    s.setPeer(peer);
    return s;
  }

  @Test
  void bytesWaitFiveMinutesAMovedReadingOneNewsNothing() {
    TunnelStatus shown = status("node-a", 20.0, 100);
    TunnelStatus moreBytes = status("node-a", 21.0, 5_000);
    TunnelStatus slower = status("node-a", 30.0, 5_000);
    TunnelStatus moved = status("node-b", 20.0, 100);
    Instant later = LAST.plusSeconds(30);

    assertThat(StatusWriter.holdBack(shown, moreBytes, LAST, later))
        .contains(Duration.ofSeconds(270));
    assertThat(StatusWriter.holdBack(shown, slower, LAST, later)).contains(Duration.ofSeconds(30));
    assertThat(StatusWriter.holdBack(shown, moved, LAST, later)).isEmpty();

    assertThat(StatusWriter.holdBack(shown, slower, LAST, LAST.plusSeconds(60))).isEmpty();
    assertThat(StatusWriter.holdBack(shown, moreBytes, LAST, LAST.plusSeconds(299)))
        .contains(Duration.ofSeconds(1));
    assertThat(StatusWriter.holdBack(shown, moreBytes, LAST, LAST.plusSeconds(300))).isEmpty();
    assertThat(StatusWriter.holdBack(shown, moreBytes, null, later))
        .as("no write since this operator started: the first is not held")
        .isEqualTo(Optional.empty());
  }
}
