package io.tunnelier.e2e.scenario;

import io.tunnelier.e2e.lab.ClusterLab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A long-lived TCP flow of the lab's counter_server.py to counter_client.py, run from a pod: its
 * client's transcript in {@code out}.
 */
record CounterFlow(ClusterLab.LabPod pod, Path out) {
  Transcript read() {
    return Transcript.parse(lines(out));
  }

  /** A counter_client.py transcript: the "from" line, the values with arrival times, the end. */
  record Transcript(String from, List<Integer> seqs, List<Long> arrivals, String end) {
    static Transcript parse(List<String> lines) {
      String from = null;
      String end = null;
      List<Integer> seqs = new ArrayList<>();
      List<Long> arrivals = new ArrayList<>();
      for (String line : lines) {
        if (line.startsWith("END")) {
          end = line;
          continue;
        }
        String[] parts = line.split(" ", 2);
        if (parts.length < 2 || !parts[0].matches("\\d+")) {
          continue;
        }
        if (parts[1].startsWith("from ")) {
          from = parts[1].substring(5);
        } else if (parts[1].matches("\\d+")) {
          seqs.add(Integer.parseInt(parts[1]));
          arrivals.add(Long.parseLong(parts[0]));
        }
      }
      return new Transcript(from, seqs, arrivals, end);
    }

    long largestGapMillis() {
      long gap = 0;
      for (int i = 1; i < arrivals.size(); i++) {
        gap = Math.max(gap, arrivals.get(i) - arrivals.get(i - 1));
      }
      return gap;
    }

    long lastArrivalBefore(long epochMillis) {
      return arrivals.stream()
          .filter(a -> a <= epochMillis)
          .reduce((a, b) -> b)
          .orElse(epochMillis);
    }

    long firstArrivalAfter(long epochMillis) {
      return arrivals.stream().filter(a -> a > epochMillis).findFirst().orElse(epochMillis);
    }

    /** Every value from 0 to the last one arrived, once and in order. */
    boolean complete() {
      for (int i = 0; i < seqs.size(); i++) {
        if (seqs.get(i) != i) {
          return false;
        }
      }
      return true;
    }
  }

  static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
