package io.tunnelier.e2e.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a datapath process spent its CPU, from a JFR recording: Java execution samples by their top
 * frame (self time) and by the first Tunnelier frame on the stack (so JDK and jnr-ffi helpers are
 * charged to the datapath code calling them), and native samples (threads inside a system call or
 * waiting in one) by native method. Also runnable as a main: {@code JfrSummary file.jfr...}.
 */
public final class JfrSummary {
  private static final int TOP = 15;

  private JfrSummary() {}

  public static void main(String[] args) throws IOException {
    for (String a : args) {
      summarize(Path.of(a), System.out);
    }
  }

  /** Summarises every {@code *.jfr} in {@code dir} and writes each summary next to it. */
  static void summarizeAll(Path dir, PrintStream out) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".jfr")).sorted().toList();
    }
    for (Path f : files) {
      java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
      try (PrintStream p = new PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8)) {
        summarize(f, p);
      }
      String text = buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
      Files.writeString(Path.of(f.toString().replaceAll("\\.jfr$", ".txt")), text);
      out.print(text);
    }
  }

  static void summarize(Path file, PrintStream out) throws IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> ours = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    Map<String, Integer> natives = new HashMap<>();
    int java = 0;
    int nativeSamples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      String type = e.getEventType().getName();
      boolean execution = type.equals("jdk.ExecutionSample");
      if (!execution && !type.equals("jdk.NativeMethodSample")) {
        continue;
      }
      RecordedStackTrace st = e.getStackTrace();
      if (st == null || st.getFrames().isEmpty()) {
        continue;
      }
      List<RecordedFrame> frames = st.getFrames();
      if (execution) {
        java++;
        self.merge(frameName(frames.get(0)), 1, Integer::sum);
        ours.merge(firstOurs(frames), 1, Integer::sum);
        String thread =
            e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
        threads.merge(thread == null ? "?" : thread.replaceAll("\\d+$", "N"), 1, Integer::sum);
      } else {
        nativeSamples++;
        natives.merge(frameName(frames.get(0)) + " <- " + firstOurs(frames), 1, Integer::sum);
      }
    }
    out.printf(
        Locale.ROOT,
        "%nPROFILE %s: %d Java execution samples, %d native samples%n",
        file.getFileName(),
        java,
        nativeSamples);
    top(out, "Java samples by top frame (self)", self, java);
    top(out, "Java samples by first Tunnelier frame (inclusive)", ours, java);
    top(out, "Java samples by thread", threads, java);
    top(
        out,
        "native samples (in or waiting in a system call) by method <- caller",
        natives,
        nativeSamples);
  }

  private static void top(PrintStream out, String title, Map<String, Integer> counts, int total) {
    out.println("  " + title + ":");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(TOP)
        .forEach(
            en ->
                out.printf(
                    Locale.ROOT,
                    "    %5.1f%%  %s%n",
                    100.0 * en.getValue() / Math.max(1, total),
                    en.getKey()));
  }

  private static String firstOurs(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      if (f.getMethod() != null && f.getMethod().getType().getName().startsWith("io.tunnelier.")) {
        return frameName(f);
      }
    }
    return frameName(frames.get(0));
  }

  private static String frameName(RecordedFrame f) {
    if (f.getMethod() == null) {
      return "?";
    }
    String type = f.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
  }
}
