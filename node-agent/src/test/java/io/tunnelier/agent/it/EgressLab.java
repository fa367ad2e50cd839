package io.tunnelier.agent.it;

import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.agent.plan.TunnelId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * An egress cluster on the real kernel: gateway node {@code node-a} and member node {@code node-b}
 * with a pod each, a VPS, and an "internet" host serving 198.51.100.100.
 *
 * <pre>
 *  gwpod 100.64.1.5 ── gw (node-a) ─eth1 192.0.2.11/25 ── 192.0.2.12/25 eth0─ member (node-b) ── mpod 100.64.2.7
 *                      │ eth0 192.0.2.129/25                        (member's default route: via gw)
 *                      │          ╲ tnl-… stand-in "tunnel" (veth) 100.96.0.2/31 ══ 100.96.0.3/31
 *                      │           ╲
 *  inet 192.0.2.130/25 ┘            vps eth0 203.0.113.10/24 ── 203.0.113.20/24 inet (lo 198.51.100.100)
 * </pre>
 *
 * The gateway's own default route leads straight to the internet host: that is the leak the kill
 * switch must prevent. The internet host counts what reaches 198.51.100.100 by source: from the
 * VPS's address (through the tunnel, masqueraded) or from anything else (leaked). Both nodes filter
 * reverse paths strictly ({@code net.ipv4.conf.all.rp_filter=1}, and {@code default} for the links
 * created later), as many distributions configure their hosts.
 */
final class EgressLab implements AutoCloseable {
  static final String TUNNEL = "scraping/egress-nyc";
  static final TunnelId ID = TunnelId.of(TUNNEL);
  static final String SERVICE = "198.51.100.100";
  static final int METRICS = 9464;

  final Lab lab = Lab.create();
  final Path dir;
  final Netns gw;
  final Netns member;
  final Netns gwPod;
  final Netns memberPod;
  final Netns vps;
  final Netns inet;
  private final List<AgentProcess> agents = new ArrayList<>();

  EgressLab() throws IOException {
    dir = Files.createTempDirectory("tunnelier-agent-it-");
    try {
      gw = lab.netns("gw");
      member = lab.netns("member");
      gwPod = lab.netns("gwpod");
      memberPod = lab.netns("mpod");
      vps = lab.netns("vps");
      inet = lab.netns("inet");
      for (Netns n : List.of(gw, member)) {
        n.execOk("sysctl", "-qw", "net.ipv4.conf.all.rp_filter=1");
        n.execOk("sysctl", "-qw", "net.ipv4.conf.default.rp_filter=1");
      }
      lab.veth(gw, "eth0", "192.0.2.129/25", inet, "eth1", "192.0.2.130/25");
      lab.veth(gw, "eth1", "192.0.2.11/25", member, "eth0", "192.0.2.12/25");
      lab.veth(gw, "pod0", "100.64.1.1/24", gwPod, "eth0", "100.64.1.5/24");
      lab.veth(member, "pod0", "100.64.2.1/24", memberPod, "eth0", "100.64.2.7/24");
      lab.veth(vps, "eth0", "203.0.113.10/24", inet, "eth0", "203.0.113.20/24");
      inet.ip("addr add " + SERVICE + "/32 dev lo");
      gwPod.ip("route add default via 100.64.1.1");
      memberPod.ip("route add default via 100.64.2.1");
      gw.ip("route add default via 192.0.2.130");
      gw.ip("route add 100.64.2.0/24 via 192.0.2.12"); // the CNI's pod network, between nodes
      member.ip("route add default via 192.0.2.11");
      vps.ip("route add default via 203.0.113.20");
      for (Netns n : List.of(gw, member)) {
        n.execOk("sysctl", "-qw", "net.ipv4.ip_forward=1");
      }
      nftInput(
          inet,
          "table inet lab {\n chain input {\n  type filter hook input priority 0; policy accept;\n"
              + "  ip daddr "
              + SERVICE
              + " ip saddr 203.0.113.10 counter comment \"via-vps\"\n"
              + "  ip daddr "
              + SERVICE
              + " ip saddr != 203.0.113.10 counter comment \"leaked\"\n }\n}\n");
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  private static void nftInput(Netns ns, String ruleset) {
    Path f;
    try {
      f = Files.createTempFile("lab-", ".nft");
      Files.writeString(f, ruleset);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      ns.execOk("nft", "-f", f.toString());
    } finally {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        // a leftover temp file is harmless; the rules are in the namespace
      }
    }
  }

  /** The cluster as the operator and the API server would present it to the agents. */
  String clusterYaml(boolean killSwitch, List<String> extraPods) {
    StringBuilder b = new StringBuilder();
    b.append(
        """
        apiVersion: tunnelier.io/v1alpha1
        kind: Tunnel
        metadata: {name: egress-nyc, namespace: scraping, generation: 1}
        spec:
          type: Egress
          encapsulation: GRE
          datapath: Auto
          peer: {endpoint: "203.0.113.10", greKey: 4242}
          egress:
            podSelector: {matchLabels: {app: scraper}}
            destinations: ["0.0.0.0/0"]
            killSwitch: %s
          mssClamp: true
        status:
          activeGateway: node-a
          tunnelAddress: 100.96.0.2/31
          peerAddress: 100.96.0.3/31
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: node-a}
        spec: {podCIDRs: [100.64.1.0/24, 100.65.0.0/16]}
        status: {addresses: [{type: InternalIP, address: 192.0.2.11}]}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: node-b}
        spec: {podCIDR: 100.64.2.0/24}
        status: {addresses: [{type: InternalIP, address: 192.0.2.12}]}
        """
            .formatted(killSwitch));
    b.append(pod("scraper-a", "node-a", "100.64.1.5"));
    b.append(pod("scraper-b", "node-b", "100.64.2.7"));
    for (int i = 0; i < extraPods.size(); i++) {
      b.append(pod("extra-" + i, "node-a", extraPods.get(i)));
    }
    return b.toString();
  }

  static String pod(String name, String node, String ip) {
    return """
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: scraping, labels: {app: scraper}}
        spec: {nodeName: %s, containers: [{name: c, image: scraper}]}
        status: {phase: Running, podIP: %s}
        """
        .formatted(name, node, ip);
  }

  /** The peer.yaml the operator would render for the VPS. */
  static String peerYaml() {
    return """
        apiVersion: tunnelier.io/v1alpha1
        kind: StandaloneConfig
        tunnels:
        - name: scraping/egress-nyc
          type: Egress
          encapsulation: GRE
          listen: 203.0.113.10
          greKey: 4242
          address: 100.96.0.3/31
          peerAddress: 100.96.0.2/31
          mssClamp: true
        """;
  }

  Path write(String name, String content) {
    try {
      Path f = dir.resolve(name);
      Path tmp = dir.resolve(name + ".tmp");
      Files.writeString(tmp, content);
      Files.move(
          tmp,
          f,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  AgentProcess gatewayAgent(String resync, String... extra) {
    return agent(
        gw,
        "gw",
        vps.name(),
        "agent",
        "--node-name",
        "node-a",
        "--cluster-file",
        dir.resolve("cluster.yaml").toString(),
        "--resync-period",
        resync,
        "--status-file",
        dir.resolve("gw-status.json").toString(),
        extra);
  }

  AgentProcess memberAgent(String resync) {
    return agent(
        member,
        "member",
        null,
        "agent",
        "--node-name",
        "node-b",
        "--cluster-file",
        dir.resolve("cluster.yaml").toString(),
        "--resync-period",
        resync);
  }

  AgentProcess vpsAgent(String resync) {
    return agent(
        vps,
        "vps",
        gw.name(),
        "standalone",
        "--config",
        dir.resolve("peer.yaml").toString(),
        "--enable-ip-forward",
        "--resync-period",
        resync);
  }

  private AgentProcess agent(
      Netns ns, String role, String standInPeer, String mode, Object... rest) {
    List<String> args = new ArrayList<>();
    args.add(mode);
    for (Object o : rest) {
      if (o instanceof String[] more) {
        args.addAll(List.of(more));
      } else {
        args.add((String) o);
      }
    }
    AgentProcess a =
        AgentProcess.start(
            ns, dir.resolve(role + "-agent.log"), standInPeer, args.toArray(String[]::new));
    agents.add(a);
    return a;
  }

  List<AgentProcess> agents() {
    return List.copyOf(agents);
  }

  /**
   * Packets a node's kernel dropped for failing the reverse-path check (TcpExtIPReversePathFilter).
   */
  static long reversePathDrops(Netns node) {
    String[] lines = node.execOk("cat", "/proc/net/netstat").split("\n");
    for (int i = 0; i + 1 < lines.length; i += 2) {
      String[] names = lines[i].split(" ");
      String[] values = lines[i + 1].split(" ");
      for (int k = 0; k < names.length; k++) {
        if (names[0].equals("TcpExt:") && names[k].equals("IPReversePathFilter")) {
          return Long.parseLong(values[k]);
        }
      }
    }
    throw new IllegalStateException("no TcpExt IPReversePathFilter in /proc/net/netstat");
  }

  /** Pings the internet service from a pod: a bounded number of echo requests. */
  boolean ping(Netns pod) {
    return pod.exec(
                Duration.ofSeconds(10), "ping", "-n", "-c", "2", "-i", "0.2", "-W", "1", SERVICE)
            .exitCode()
        == 0;
  }

  /**
   * Packets that reached the internet service, by the inet host's counter ("via-vps" or "leaked").
   */
  long counter(String comment) {
    String out = inet.execOk("nft", "list", "chain", "inet", "lab", "input");
    for (String line : out.split("\n")) {
      if (line.contains("\"" + comment + "\"")) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("packets (\\d+)").matcher(line);
        if (m.find()) {
          return Long.parseLong(m.group(1));
        }
      }
    }
    throw new IllegalStateException("no counter " + comment + " in " + out);
  }

  /** Waits (bounded) for a condition; fails with the agents' logs if it never holds. */
  void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(200);
    }
    StringBuilder logs = new StringBuilder();
    for (AgentProcess a : agents) {
      logs.append("\n--- ").append(a.log.getFileName()).append(" ---\n").append(tail(a.logText()));
    }
    throw new AssertionError("timed out waiting for: " + what + logs);
  }

  private static String tail(String s) {
    return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
  }

  @Override
  public void close() {
    for (AgentProcess a : agents) {
      try {
        a.killHard();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    lab.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir
    }
  }
}
