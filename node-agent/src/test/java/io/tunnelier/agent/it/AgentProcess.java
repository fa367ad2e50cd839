package io.tunnelier.agent.it;

import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.agent.standin.VethStandIn;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real agent (io.tunnelier.agent.Main) as its own process inside a lab namespace. */
public final class AgentProcess {
  final Netns ns;
  final Process process;
  final Path log;

  private AgentProcess(Netns ns, Process process, Path log) {
    this.ns = ns;
    this.process = process;
    this.log = log;
  }

  static String classPath() {
    // Failsafe runs the test JVM from a manifest-only jar; this property has the real path.
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  static List<String> command(String standInPeer, String... args) {
    return command(
        standInPeer == null ? java.util.Map.of() : java.util.Map.of(STAND_IN, standInPeer), args);
  }

  /**
   * The stand-in tunnel's peer namespace: with it in the environment the agent runs with {@link
   * VethStandIn} as its datapaths.
   */
  public static final String STAND_IN = VethStandIn.ENV;

  public static List<String> command(java.util.Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("env");
    env.forEach((k, v) -> cmd.add(k + "=" + v));
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "-Xmx96m",
            "-XX:TieredStopAtLevel=1",
            "-Xshare:auto",
            "-cp",
            classPath(),
            env.containsKey(STAND_IN) ? VethStandIn.class.getName() : "io.tunnelier.agent.Main"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Starts the agent in {@code ns} with extra environment; its output goes to {@code log}. */
  public static AgentProcess start(
      Netns ns, Path log, java.util.Map<String, String> env, String... args) {
    Process p = ns.spawn(log.toFile(), command(env, args).toArray(String[]::new));
    return new AgentProcess(ns, p, log);
  }

  /** Starts the agent in {@code ns}; its output goes to {@code log}. */
  static AgentProcess start(Netns ns, Path log, String standInPeer, String... args) {
    Process p = ns.spawn(log.toFile(), command(standInPeer, args).toArray(String[]::new));
    return new AgentProcess(ns, p, log);
  }

  /** Runs the agent to completion (e.g. --cleanup, a bad config) and returns its result. */
  public static Exec.Result run(Netns ns, Duration timeout, String... args) {
    return ns.exec(timeout, command(java.util.Map.of(), args).toArray(String[]::new));
  }

  /** SIGHUP: re-read configuration and resync now. */
  public void hangUp() {
    Exec.run(Duration.ofSeconds(5), List.of("kill", "-HUP", "" + process.pid())).orThrow();
  }

  /** As a container runtime kills a container: SIGKILL to the agent and every child (ip, nft). */
  public void killHard() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      killHard();
    }
  }

  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** /metrics from inside the namespace. */
  public String metrics(int port) {
    return ns.execOk("curl", "-s", "--max-time", "5", "http://127.0.0.1:" + port + "/metrics");
  }

  static double metric(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }

  static File file(Path p) {
    return p.toFile();
  }
}
