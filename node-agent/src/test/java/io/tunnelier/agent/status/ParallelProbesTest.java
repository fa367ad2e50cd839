package io.tunnelier.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParallelProbesTest {
  @Test
  void probesRunAtOnceAndEachTunnelGetsItsOwnAnswers() {
    int tunnels = 8;
    // Every inner probe waits until all of them have started: run one after the other, the first
    // would give up (no answer) instead of returning its RTT.
    CountDownLatch allStarted = new CountDownLatch(tunnels);
    PeerProbe probe =
        address -> {
          if (address.startsWith("100.")) {
            allStarted.countDown();
            try {
              if (!allStarted.await(10, TimeUnit.SECONDS)) {
                return OptionalDouble.empty();
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return OptionalDouble.empty();
            }
            return OptionalDouble.of(
                Integer.parseInt(address.substring(address.lastIndexOf('.') + 1)));
          }
          if (address.equals("203.0.113.66")) {
            throw new IllegalStateException("socket trouble");
          }
          return OptionalDouble.of(0.5);
        };
    Map<String, ParallelProbes.Target> targets = new HashMap<>();
    for (int i = 0; i < tunnels; i++) {
      targets.put(
          "ns/t" + i,
          new ParallelProbes.Target(
              "100.96.0." + (i * 2 + 1), i == 0 ? null : i == 1 ? "203.0.113.66" : "203.0.113.10"));
    }
    try (ParallelProbes probes = new ParallelProbes(probe, tunnels)) {
      Map<String, ParallelProbes.Result> results = probes.probe(targets);
      assertThat(results).hasSize(tunnels);
      for (int i = 0; i < tunnels; i++) {
        assertThat(results.get("ns/t" + i).rtt()).hasValue(i * 2 + 1);
      }
      assertThat(results.get("ns/t0").direct()).as("no underlay host: not probed").isEmpty();
      assertThat(results.get("ns/t1").direct()).as("a probe that throws: no answer").isEmpty();
      assertThat(results.get("ns/t2").direct()).hasValue(0.5);
    }
  }
}
