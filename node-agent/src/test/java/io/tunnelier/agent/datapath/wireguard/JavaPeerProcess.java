package io.tunnelier.agent.datapath.wireguard;

import io.tunnelier.agent.lab.Netns;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A Java main started inside a lab namespace, as the agent runs: one process per namespace. */
final class JavaPeerProcess {
  final Process process;
  final Path statsFile;
  final File log;

  private JavaPeerProcess(Process process, Path statsFile, File log) {
    this.process = process;
    this.statsFile = statsFile;
    this.log = log;
  }

  static JavaPeerProcess start(Netns ns, Path dir, String mainClass, String... args)
      throws IOException {
    Path stats = dir.resolve(ns.name() + "-stats.txt");
    File log = dir.resolve(ns.name() + "-java.log").toFile();
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add(mainClass);
    argv.addAll(List.of(args));
    argv.add("--stats-file");
    argv.add(stats.toString());
    Files.deleteIfExists(stats);
    return new JavaPeerProcess(ns.spawn(log, argv.toArray(String[]::new)), stats, log);
  }

  Map<String, String> stats() {
    Map<String, String> map = new HashMap<>();
    try {
      if (Files.exists(statsFile)) {
        for (String line : Files.readAllLines(statsFile)) {
          int eq = line.indexOf('=');
          if (eq > 0) {
            map.put(line.substring(0, eq), line.substring(eq + 1));
          }
        }
      }
    } catch (IOException e) {
      // a half-written file: the next read sees the whole one (writes are atomic renames)
    }
    return map;
  }

  long stat(String name) {
    String value = stats().get(name);
    return value == null || value.equals("null") ? 0 : Long.parseLong(value);
  }

  /** Waits until the stats satisfy {@code condition}; returns the last stats either way. */
  Map<String, String> await(Duration timeout, Predicate<Map<String, String>> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, String> s = stats();
    while (System.nanoTime() < deadline) {
      s = stats();
      if (condition.test(s)) {
        return s;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("java peer exited; see " + log);
      }
      WireGuardGo.sleep(100);
    }
    return s;
  }

  static long value(Map<String, String> stats, String name) {
    String v = stats.get(name);
    return v == null || v.equals("null") ? 0 : Long.parseLong(v);
  }

  void stop() {
    process.destroy();
  }
}
