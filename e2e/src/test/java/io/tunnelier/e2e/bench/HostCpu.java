package io.tunnelier.e2e.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * CPU time and load from /proc: per process (user + system, all threads) and for the whole host.
 * The host figure includes whatever else runs on the machine, so it is only meaningful when the
 * machine is quiet; the per-process figure misses kernel work done in softirq context on behalf of
 * nobody in particular. The benchmark prints both.
 */
public final class HostCpu {
  /** USER_HZ: the unit of /proc's CPU times on every Linux architecture we run on. */
  public static final double TICKS_PER_SECOND = 100.0;

  private HostCpu() {}

  /** The 1-, 5- and 15-minute load averages as /proc/loadavg prints them. */
  public static String loadAverage() {
    String[] f = read(Path.of("/proc/loadavg")).split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }

  /** The 1-minute load average. */
  public static double load1() {
    return Double.parseDouble(read(Path.of("/proc/loadavg")).split(" ")[0]);
  }

  /** User + system ticks a process has used so far; 0 when it is gone. */
  public static long processTicks(long pid) {
    String[] f = statFields(pid);
    return f == null ? 0 : Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /**
   * User + system ticks of a process and of the children it has waited for (the {@code ip} and
   * {@code nft} an agent runs); 0 when it is gone.
   */
  public static long processTicksWithChildren(long pid) {
    String[] f = statFields(pid);
    return f == null
        ? 0
        : Long.parseLong(f[11])
            + Long.parseLong(f[12])
            + Long.parseLong(f[13])
            + Long.parseLong(f[14]);
  }

  /**
   * The fields of /proc/PID/stat after "(comm) ": state is [0], utime [11], stime [12], cutime
   * [13], cstime [14]; null when the process is gone.
   */
  private static String[] statFields(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }

  /**
   * User and system ticks of every thread of a process, by thread name (threads of the same name
   * summed): where its CPU goes, split into its own code and the kernel's work for its system
   * calls.
   */
  public static java.util.Map<String, long[]> threadTicks(long pid) {
    java.util.Map<String, long[]> out = new java.util.TreeMap<>();
    Path tasks = Path.of("/proc", String.valueOf(pid), "task");
    try (var dirs = Files.list(tasks)) {
      for (Path task : dirs.toList()) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (NoSuchFileException e) {
          continue;
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long[] t = out.computeIfAbsent(name.replaceAll("\\d+$", "N"), k -> new long[2]);
        t[0] += Long.parseLong(f[11]);
        t[1] += Long.parseLong(f[12]);
      }
    } catch (NoSuchFileException e) {
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Resident set size of a process in bytes (VmRSS); -1 when it is gone. */
  public static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
      return -1;
    } catch (NoSuchFileException e) {
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Threads of a process, the JVM's own included (Threads: of /proc/PID/status); -1 when gone. */
  public static int threads(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("Threads:")) {
          return Integer.parseInt(line.replaceAll("\\D", ""));
        }
      }
      return -1;
    } catch (NoSuchFileException e) {
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Non-idle ticks of all CPUs together (user, nice, system, irq, softirq, steal). */
  public static long hostBusyTicks() {
    String first = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow();
    String[] f = first.trim().split("\\s+");
    long busy = 0;
    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
      busy += Long.parseLong(f[i]);
    }
    return busy;
  }

  public static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
