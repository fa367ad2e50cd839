package io.tunnelier.e2e.kind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab's internet next to the kind clusters: a web host that answers with the source address it
 * sees (e2e/src/test/resources/lab/echo_server.py on 8080, counter_server.py on 9000) and counts,
 * with nftables, every packet it receives from a node address; and the VPS, Tunnelier's standalone
 * agent in its own container with the peer.yaml the operator rendered. Both on fixed addresses of
 * the kind network above the range Docker hands to nodes, so every node address is in {@link
 * KindEnvironment#DYNAMIC_RANGE}.
 */
final class KindInternet implements AutoCloseable {
  static final String WEB = "tunnelier-kind-web";
  static final String VPS = "tunnelier-kind-vps";
  static final String WEB_ADDRESS = "198.51.100.201";
  static final String VPS_ADDRESS = "198.51.100.200";

  /**
   * The web host's and the VPS's IPv6 addresses: outside the range Docker hands out
   * (2001:db8:198::/80), on the kind network's IPv6 subnet.
   */
  static final String WEB_ADDRESS6 = "2001:db8:198:0:1::201";

  static final String VPS_ADDRESS6 = "2001:db8:198:0:1::200";

  static final int HTTP_PORT = 8080;
  static final int COUNTER_PORT = 9000;

  private static final Pattern FROM_NODES =
      Pattern.compile(
          "ip saddr " + Pattern.quote(KindEnvironment.DYNAMIC_RANGE) + " counter packets (\\d+)");
  private static final Pattern FROM_VPS =
      Pattern.compile("ip saddr " + Pattern.quote(VPS_ADDRESS) + " counter packets (\\d+)");

  private final KindEnvironment env;

  private KindInternet(KindEnvironment env) {
    this.env = env;
  }

  static KindInternet start(KindEnvironment env) {
    Docker.removeQuietly(WEB, VPS);
    try {
      startWeb(env);
    } catch (RuntimeException e) {
      Docker.removeQuietly(WEB);
      throw e;
    }
    return new KindInternet(env);
  }

  private static void startWeb(KindEnvironment env) {
    Path lab = env.repoRoot().resolve("e2e/src/test/resources/lab");
    Docker.run(
        "run",
        "-d",
        "--name",
        WEB,
        "--network",
        KindEnvironment.NETWORK,
        "--ip",
        WEB_ADDRESS,
        "--ip6",
        WEB_ADDRESS6,
        "--cap-drop",
        "ALL",
        "--cap-add",
        "NET_ADMIN",
        "--cap-add",
        "NET_BIND_SERVICE",
        "-v",
        lab + ":/lab:ro",
        env.toolsImage(),
        "sh",
        "-c",
        // Bounded: the counter server exits after an hour, the container with the test.
        "python3 /lab/counter_server.py 0.0.0.0 "
            + COUNTER_PORT
            + " 2000 100 3600 & "
            // Its IPv6 address may still be tentative (duplicate address detection) at first.
            + "(for i in $(seq 30); do python3 /lab/echo_server.py "
            + WEB_ADDRESS6
            + " "
            + HTTP_PORT
            + " && break; sleep 1; done) & "
            + "exec python3 /lab/echo_server.py 0.0.0.0 "
            + HTTP_PORT);
    Docker.execWithInput(
        WEB,
        "table inet lab {\n"
            + "  chain input {\n"
            + "    type filter hook input priority 0; policy accept;\n"
            + "    ip saddr "
            + KindEnvironment.DYNAMIC_RANGE
            + " counter comment \"from nodes\"\n"
            + "    ip saddr "
            + VPS_ADDRESS
            + " counter comment \"from the VPS\"\n"
            + "  }\n"
            + "}\n",
        "nft",
        "-f",
        "-");
    // Up when it answers a GET from inside with the address it came from.
    for (int i = 0; ; i++) {
      var r =
          Docker.attempt(
              "exec", WEB, "curl", "-s", "--max-time", "2", "http://127.0.0.1:" + HTTP_PORT + "/");
      var r6 =
          Docker.attempt(
              "exec",
              WEB,
              "curl",
              "-s",
              "-g",
              "--max-time",
              "2",
              "http://[" + WEB_ADDRESS6 + "]:" + HTTP_PORT + "/");
      if (r.exitCode() == 0
          && r.stdout().strip().equals("127.0.0.1")
          && r6.exitCode() == 0
          && r6.stdout().strip().equals(WEB_ADDRESS6)) {
        return;
      }
      if (i == 20) {
        throw new IllegalStateException(
            "the web host does not answer: " + Docker.attempt("logs", WEB).stderr());
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Starts the VPS with this peer.yaml (the Tunnel's {@code <name>-peer-config}). */
  void startVps(String peerYaml) {
    try {
      Path file = env.repoRoot().resolve("e2e/target/kind/vps-peer.yaml");
      Files.createDirectories(file.getParent());
      Files.writeString(file, peerYaml);
      Docker.removeQuietly(VPS);
      // As docs/vps.md runs it, in the VPS's own network namespace instead of --network host.
      Docker.run(
          "run",
          "-d",
          "--name",
          VPS,
          "--network",
          KindEnvironment.NETWORK,
          "--ip",
          VPS_ADDRESS,
          "--ip6",
          VPS_ADDRESS6,
          "--cap-drop",
          "ALL",
          "--cap-add",
          "NET_ADMIN",
          "--cap-add",
          "NET_RAW",
          "--device",
          "/dev/net/tun",
          "--read-only",
          "--tmpfs",
          "/tmp:exec", // jffi loads its native stub from there; Docker's default is noexec
          "--sysctl",
          "net.ipv4.ip_forward=1",
          "--sysctl",
          "net.ipv6.conf.all.forwarding=1",
          // Docker disables IPv6 on devices created later in the container (the tunnel device).
          "--sysctl",
          "net.ipv6.conf.default.disable_ipv6=0",
          "-v",
          file + ":/etc/tunnelier/peer.yaml:ro",
          KindEnvironment.AGENT_IMAGE,
          "standalone",
          "--config",
          "/etc/tunnelier/peer.yaml");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  void stopVps() {
    Docker.run("stop", "-t", "5", VPS);
  }

  void resumeVps() {
    Docker.run("start", VPS);
  }

  String vpsLogs() {
    return Docker.attempt("logs", "--tail", "30", VPS).stderr();
  }

  /** Packets the web host has received from any node address (kind nodes of both clusters). */
  long packetsFromNodes() {
    return counter(FROM_NODES);
  }

  long packetsFromVps() {
    return counter(FROM_VPS);
  }

  private long counter(Pattern p) {
    String chain = Docker.exec(WEB, "nft", "list", "chain", "inet", "lab", "input");
    Matcher m = p.matcher(chain);
    if (!m.find()) {
      throw new IllegalStateException("no such counter in the web host's chain:\n" + chain);
    }
    return Long.parseLong(m.group(1));
  }

  @Override
  public void close() {
    Docker.removeQuietly(WEB, VPS);
  }
}
