package io.tunnelier.e2e.kind;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.scenario.HostObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Tunnelier in real kind clusters, built on this machine (e2e/kind/prepare.sh): kubeadm, kubelet,
 * containerd, flannel, kube-proxy (nftables mode) and CoreDNS, Tunnelier from charts/tunnelier with
 * the images its Dockerfiles build from this checkout, its namespace labelled as docs/install.md
 * says, the operator and the agents under the chart's RBAC. The lab's internet is two containers
 * next to the nodes: a web host that answers with the source address it sees and counts packets
 * from node addresses, and the VPS running the standalone agent.
 *
 * <p>The scenarios run in order on the same clusters: egress, the kill switch, site-to-site with a
 * second cluster (its own operator), gateway failover by stopping the gateway node's container,
 * then `helm upgrade`, and uninstall leaving nothing on any node. Evidence (tunnels as kubectl
 * shows them, packet counts, seconds) is printed with a "[kind]" prefix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KindIT {
  private static final String NS = "scraping";
  private static final String TUNNEL = "egress-nyc";
  private static final String GATEWAY_LABEL = "tunnelier.io/gateway";
  private static final String SITE_GATEWAY_LABEL = "tunnelier.io/site-gateway";
  private static final String SITES_NS = "sites";

  private KindEnvironment env;
  private KindInternet internet;
  private KindCluster a;
  private KindCluster b;
  private KindPods podsA;
  private Thread cleanupOnExit;

  @BeforeAll
  @Timeout(value = 60, unit = TimeUnit.MINUTES) // a cold machine builds the images first
  void createClusterA() {
    Path root =
        Path.of(System.getProperty("tunnelier.repo.root", "..")).toAbsolutePath().normalize();
    // Ctrl-C or a killed JVM: remove the containers and the network with docker and kind only
    // (an API client closed from a shutdown hook can hang the JVM's exit).
    cleanupOnExit = new Thread(() -> removeEverything(false), "kind-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    env = KindEnvironment.prepare(root);
    // Dual-stack, as kind makes it (ipFamily: dual): egress carries IPv6 there too.
    a =
        KindCluster.create(
            env, "tnl-a", "100.70.0.0/16,fd00:70::/56", "100.71.0.0/16,fd00:71::/112", images());
    internet = KindInternet.start(env);
    podsA = new KindPods(a, env);
    // The chained CNI plugin is on by default: a new pod is held while its node's agent is down.
    a.installTunnelier(Map.of());
    for (String worker : a.workers()) {
      a.client()
          .nodes()
          .withName(worker)
          .edit(
              n -> {
                n.getMetadata().getLabels().put(GATEWAY_LABEL, "true");
                return n;
              });
    }
    a.client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
  }

  @AfterAll
  void removeEverything() {
    removeEverything(true);
  }

  private synchronized void removeEverything(boolean closeClients) {
    for (KindCluster c : new KindCluster[] {b, a}) {
      try {
        if (c != null) {
          if (closeClients) {
            c.close();
          } else {
            c.delete();
          }
        }
      } catch (RuntimeException e) {
        System.err.println("[kind] cleanup: " + e);
      }
    }
    for (AutoCloseable c : new AutoCloseable[] {internet, env}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        System.err.println("[kind] cleanup: " + e);
      }
    }
    b = a = null;
    internet = null;
    env = null;
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // running as the hook itself, or already removed
    }
  }

  // ---- 1. egress -------------------------------------------------------------------------------

  @Test
  @Order(1)
  void egressThroughTheVps() {
    Tunnel t = example("egress-wireguard.yaml");
    t.getSpec().getPeer().setEndpoint(KindInternet.VPS_ADDRESS + ":51820");
    // Both families through the VPS (cluster A is dual-stack).
    t.getSpec().getEgress().setDestinations(List.of("0.0.0.0/0", "::/0"));
    a.client().resource(t).serverSideApply();
    String peerYaml = awaitPeerConfig(a, NS, TUNNEL);
    internet.startVps(peerYaml);

    List<String> workers = a.workers();
    Map<String, String> selectedPods = new LinkedHashMap<>();
    for (String node : a.nodes()) {
      String pod = "scraper-" + shortName(node);
      podsA.start(NS, pod, node, Map.of("app", "scraper"), "exec sleep 3600");
      selectedPods.put(pod, node);
    }
    podsA.start(NS, "web-a", workers.get(0), Map.of("app", "web"), "exec sleep 3600");
    selectedPods.keySet().forEach(p -> podsA.awaitRunning(NS, p, Duration.ofMinutes(3)));
    podsA.awaitRunning(NS, "web-a", Duration.ofMinutes(3));

    await(
        a,
        "Tunnel " + TUNNEL + " is Ready with an RTT",
        Duration.ofMinutes(4),
        () ->
            ready(tunnel(a, NS, TUNNEL))
                && tunnel(a, NS, TUNNEL).getStatus().getPeer() != null
                && tunnel(a, NS, TUNNEL).getStatus().getPeer().getRttMillis() != null);
    String gateway = tunnel(a, NS, TUNNEL).getStatus().getActiveGateway();
    for (var pod : selectedPods.entrySet()) {
      String role = pod.getValue().equals(gateway) ? "gateway" : "member";
      await(
          a,
          pod.getKey() + " (" + role + " " + pod.getValue() + ") leaves through the VPS",
          Duration.ofMinutes(2),
          () -> KindInternet.VPS_ADDRESS.equals(podsA.sourceSeenByWeb(NS, pod.getKey())));
      System.out.printf(
          "[kind] egress: %s, app=scraper, on %s (%s) -> the web host sees %s%n",
          pod.getKey(), pod.getValue(), role, podsA.sourceSeenByWeb(NS, pod.getKey()));
    }
    String other = podsA.sourceSeenByWeb(NS, "web-a");
    System.out.printf(
        "[kind] egress: web-a, app=web (not selected), on %s -> the web host sees %s%n",
        workers.get(0), other);
    assertThat(other)
        .as("an unselected pod leaves from its node's address")
        .isEqualTo(a.nodeAddress(workers.get(0)));
    // IPv6: the Tunnel's IPv6 inner pair, the selected pods' IPv6 through the VPS, the unselected
    // pod's from its node's IPv6 address (flannel masquerades it).
    var inner = tunnel(a, NS, TUNNEL).getStatus();
    System.out.printf(
        "[kind] egress: status.tunnelAddress %s, tunnelAddress6 %s%n",
        inner.getTunnelAddress(), inner.getTunnelAddress6());
    assertThat(inner.getTunnelAddress6()).as("status.tunnelAddress6").isNotNull();
    for (var pod : selectedPods.entrySet()) {
      String role = pod.getValue().equals(gateway) ? "gateway" : "member";
      await(
          a,
          pod.getKey() + " (" + role + " " + pod.getValue() + ") leaves through the VPS by IPv6",
          Duration.ofMinutes(2),
          () -> KindInternet.VPS_ADDRESS6.equals(podsA.sourceSeenByWeb6(NS, pod.getKey())));
      System.out.printf(
          "[kind] egress IPv6: %s on %s (%s) -> the web host sees %s%n",
          pod.getKey(), pod.getValue(), role, podsA.sourceSeenByWeb6(NS, pod.getKey()));
    }
    String other6 = podsA.sourceSeenByWeb6(NS, "web-a");
    System.out.printf(
        "[kind] egress IPv6: web-a (not selected) on %s -> the web host sees %s%n",
        workers.get(0), other6);
    assertThat(other6)
        .as("an unselected pod's IPv6 leaves from its node's IPv6 address")
        .isEqualTo(a.nodeAddress6(workers.get(0)));
    System.out.println("[kind] " + kubectl(a, "-n", NS, "get", "tunnels"));

    // Metrics: the gateway's agent, asked through the API server's pod proxy on its port on the
    // node (where it listens, and where the kubelet's readiness probe asks), exports the tunnel as
    // up; the chart's headless Service lists every agent; `helm test` asks the operator's Service
    // from a pod with the operator's image.
    Pod gatewayAgent =
        agentPods(a).stream()
            .filter(p -> gateway.equals(p.getSpec().getNodeName()))
            .findFirst()
            .orElseThrow();
    String up = "tunnelier_agent_tunnel_up{tunnel=\"" + NS + "/" + TUNNEL + "\"} 1.0";
    await(
        a,
        "the gateway's agent exports " + up,
        Duration.ofMinutes(1),
        () -> {
          String metrics =
              a.client()
                  .raw(
                      "/api/v1/namespaces/"
                          + KindCluster.RELEASE_NAMESPACE
                          + "/pods/"
                          + gatewayAgent.getMetadata().getName()
                          + ":9464/proxy/metrics");
          return metrics != null && metrics.contains(up);
        });
    await(
        a,
        "the agents' Service lists an endpoint on every node",
        Duration.ofMinutes(1),
        () ->
            a
                    .client()
                    .discovery()
                    .v1()
                    .endpointSlices()
                    .inNamespace(KindCluster.RELEASE_NAMESPACE)
                    .withLabel("kubernetes.io/service-name", "tunnelier-node-agent")
                    .list()
                    .getItems()
                    .stream()
                    .mapToInt(e -> e.getEndpoints() == null ? 0 : e.getEndpoints().size())
                    .sum()
                == a.nodes().size());
    System.out.println("[kind] helm test: " + a.testTunnelier());

    // The kubectl plugin against a real cluster: its status table names the gateway, and `logs`
    // finds the agents' lines about this Tunnel in the pods' logs (the kubelet's, which the lab
    // has not), each prefixed with its node.
    String status = plugin(a, "status", "-n", NS);
    System.out.println("[kind] kubectl tunnelier status -n " + NS + "\n" + status);
    assertThat(status).contains(TUNNEL, gateway);
    String logs = plugin(a, "logs", TUNNEL, "-n", NS);
    System.out.println(
        "[kind] kubectl tunnelier logs "
            + TUNNEL
            + " -n "
            + NS
            + " (first lines)\n"
            + logs.lines().limit(5).collect(java.util.stream.Collectors.joining("\n")));
    assertThat(logs.lines())
        .as("the agents' lines about %s/%s", NS, TUNNEL)
        .isNotEmpty()
        .allMatch(l -> l.startsWith("[") && (l.contains(NS + "/" + TUNNEL) || l.contains("tnl")));
    assertThat(logs).contains("[" + gateway);
  }

  // ---- 2. the kill switch
  // ------------------------------------------------------------------------

  @Test
  @Order(2)
  void killSwitchLeaksNothing() {
    String gateway = tunnel(a, NS, TUNNEL).getStatus().getActiveGateway();
    String member = a.workers().stream().filter(w -> !w.equals(gateway)).findFirst().orElseThrow();
    // New selected pods, started now that the Tunnel is Ready: they send from their first instant.
    long before = internet.packetsFromNodes();
    String loop = requestLoop(60, "0.1");
    for (String node : List.of(gateway, member)) {
      podsA.start(NS, "newborn-" + shortName(node), node, Map.of("app", "scraper"), loop);
    }
    for (String node : List.of(gateway, member)) {
      String pod = "newborn-" + shortName(node);
      podsA.awaitFinished(NS, pod, Duration.ofMinutes(3));
      String log = podsA.logs(NS, pod);
      Map<String, Long> seen = tally(log);
      System.out.printf(
          "[kind] kill switch: %s on %s, 60 requests from its first instant: %s%n",
          pod, node, seen);
      assertThat(seen.keySet())
          .as(pod + ": answers seen")
          .containsOnly(KindInternet.VPS_ADDRESS, "FAIL");
      assertThat(seen.getOrDefault(KindInternet.VPS_ADDRESS, 0L)).isPositive();
    }
    long leaked = internet.packetsFromNodes() - before;
    System.out.printf(
        "[kind] kill switch: packets at the web host from any node address while new selected "
            + "pods started: %d%n",
        leaked);
    assertThat(leaked).as("packets from node addresses while new pods started").isZero();

    // The member's agent frozen (SIGSTOP: as good as gone for the node, and back with SIGCONT): a
    // selected pod started there now is held by the CNI plugin, from its first instant, until the
    // agent is back and has programmed it.
    String frozen = "agent-down-" + shortName(member);
    long beforeFrozen = internet.packetsFromNodes();
    int stopped = signalAgent(member, "STOP");
    long frozenFor;
    try {
      assertThat(stopped).as("agent processes stopped on " + member).isOne();
      podsA.start(NS, frozen, member, Map.of("app", "scraper"), requestLoop(60, "0.1"));
      long started = System.nanoTime();
      await(
          a,
          frozen + " has sent 8 requests while its node's agent is stopped",
          Duration.ofMinutes(2),
          () -> Outcome.of(podsA.logs(NS, frozen)).size() >= 8);
      frozenFor = (System.nanoTime() - started) / 1_000_000_000L;
    } finally {
      signalAgent(member, "CONT");
    }
    podsA.awaitFinished(NS, frozen, Duration.ofMinutes(3));
    Map<String, Long> heldSeen = tally(podsA.logs(NS, frozen));
    long leakedFrozen = internet.packetsFromNodes() - beforeFrozen;
    System.out.printf(
        "[kind] kill switch: %s started on %s while its agent was stopped (%d s), 60 requests from"
            + " its first instant: %s; packets from node addresses: %d%n",
        frozen, member, frozenFor, heldSeen, leakedFrozen);
    assertThat(heldSeen.keySet())
        .as(frozen + ": answers seen")
        .containsOnly(KindInternet.VPS_ADDRESS, "FAIL");
    assertThat(heldSeen.getOrDefault(KindInternet.VPS_ADDRESS, 0L))
        .as("through the VPS once the agent is back")
        .isPositive();
    assertThat(leakedFrozen).as("packets from node addresses while the agent was stopped").isZero();

    // The VPS goes away: the selected pods' traffic is dropped, then flows again when it is back.
    String pod = "scraper-" + shortName(member);
    internet.stopVps();
    long beforeStop = internet.packetsFromNodes();
    List<String> whileDown = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      whileDown.add(String.valueOf(podsA.sourceSeenByWeb(NS, pod)));
    }
    long leakedWhileDown = internet.packetsFromNodes() - beforeStop;
    System.out.printf(
        "[kind] kill switch: VPS stopped, 10 requests from %s: %s; packets from node "
            + "addresses: %d%n",
        pod, whileDown, leakedWhileDown);
    assertThat(whileDown).containsOnly("null");
    assertThat(leakedWhileDown).isZero();
    internet.resumeVps();
    Instant resumed = Instant.now();
    await(
        a,
        "traffic through the VPS again",
        Duration.ofMinutes(2),
        () -> KindInternet.VPS_ADDRESS.equals(podsA.sourceSeenByWeb(NS, pod)));
    System.out.printf(
        "[kind] kill switch: VPS back, traffic through it again after %.1f s%n",
        Duration.between(resumed, Instant.now()).toMillis() / 1000.0);
  }

  // ---- 3. site-to-site
  // ---------------------------------------------------------------------------

  @Test
  @Order(3)
  void siteToSiteBetweenTwoClusters() {
    b = KindCluster.create(env, "tnl-b", "100.80.0.0/16", "100.81.0.0/16", images());
    KindPods podsB = new KindPods(b, env);
    b.installTunnelier(Map.of());
    Map<KindCluster, KindPods> pods = Map.of(a, podsA, b, podsB);
    Map<KindCluster, Map<String, String>> podIps = new LinkedHashMap<>();
    for (KindCluster c : List.of(a, b)) {
      String gw = c.workers().get(0);
      c.client()
          .nodes()
          .withName(gw)
          .edit(
              n -> {
                n.getMetadata().getLabels().put(SITE_GATEWAY_LABEL, "true");
                return n;
              });
      c.client()
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(SITES_NS).endMetadata().build())
          .serverSideApply();
      c.client()
          .configMaps()
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withNamespace(SITES_NS)
                  .withName("echo")
                  .endMetadata()
                  .addToData("echo_server.py", labScript("echo_server.py"))
                  .build())
          .serverSideApply();
      Map<String, String> ips = new LinkedHashMap<>();
      for (String node : c.nodes()) {
        String pod = "echo-" + shortName(node);
        pods.get(c)
            .start(
                SITES_NS,
                pod,
                node,
                Map.of("app", "echo"),
                "exec python3 /lab/echo_server.py 0.0.0.0 8080",
                Map.of("echo", "/lab"));
      }
      for (String node : c.nodes()) {
        String pod = "echo-" + shortName(node);
        ips.put(pod, pods.get(c).awaitRunning(SITES_NS, pod, Duration.ofMinutes(3)));
      }
      podIps.put(c, ips);
    }

    // Each side's Tunnel as examples/site-to-site.yaml, no spec.address: the two operators must
    // agree on the inner addresses themselves. Public keys are exchanged as the example says.
    Tunnel toB = siteToSite("to-b", b, a);
    Tunnel toA = siteToSite("to-a", a, b);
    a.client().resource(toB).serverSideApply();
    b.client().resource(toA).serverSideApply();
    String keyA = awaitPublicKey(a, "to-b");
    String keyB = awaitPublicKey(b, "to-a");
    toB.getSpec().getPeer().setPublicKey(keyB);
    toA.getSpec().getPeer().setPublicKey(keyA);
    a.client().resource(toB).serverSideApply();
    b.client().resource(toA).serverSideApply();
    for (var side : List.of(Map.entry(a, "to-b"), Map.entry(b, "to-a"))) {
      await(
          side.getKey(),
          side.getValue() + " is Ready",
          Duration.ofMinutes(4),
          () -> ready(tunnel(side.getKey(), SITES_NS, side.getValue())));
      Tunnel t = tunnel(side.getKey(), SITES_NS, side.getValue());
      System.out.printf(
          "[kind] site-to-site: %s in %s: Ready, inner %s, peer %s, RTT %s ms%n",
          side.getValue(),
          side.getKey().name(),
          t.getStatus().getTunnelAddress(),
          t.getStatus().getPeerAddress(),
          t.getStatus().getPeer().getRttMillis());
    }
    for (var from : List.of(a, b)) {
      KindCluster to = from == a ? b : a;
      for (var client : podIps.get(from).entrySet()) {
        for (var server : podIps.get(to).entrySet()) {
          String url = "http://" + server.getValue() + ":8080/";
          await(
              from,
              client.getKey() + " reaches " + server.getKey() + " in " + to.name(),
              Duration.ofMinutes(2),
              () ->
                  client
                      .getValue()
                      .equals(
                          pods.get(from)
                              .attempt(
                                  SITES_NS,
                                  client.getKey(),
                                  Duration.ofSeconds(20),
                                  "curl",
                                  "-s",
                                  "--max-time",
                                  "5",
                                  url)
                              .stdout()
                              .strip()));
          System.out.printf(
              "[kind] site-to-site: %s/%s (%s) -> %s/%s (%s): the server sees %s%n",
              from.name(),
              client.getKey(),
              client.getValue(),
              to.name(),
              server.getKey(),
              server.getValue(),
              client.getValue());
        }
      }
    }
    System.out.println("[kind] " + kubectl(a, "-n", SITES_NS, "get", "tunnels"));
    System.out.println("[kind] " + kubectl(b, "-n", SITES_NS, "get", "tunnels"));
  }

  // ---- 4. gateway failover
  // -----------------------------------------------------------------------

  @Test
  @Order(4)
  void gatewayFailoverWhenTheGatewayNodeStops() throws Exception {
    Tunnel before = tunnel(a, NS, TUNNEL);
    String gateway = before.getStatus().getActiveGateway();
    String client = a.controlPlane();
    // A request every 200 ms and two long-lived TCP flows, all from a member pod that survives:
    // one flow only receives, the other's client also sends a line every 200 ms.
    podsA.start(NS, "failover-loop", client, Map.of("app", "scraper"), requestLoop(1200, "0.2"));
    Map<String, String> flowPods = Map.of("failover-flow", "", "failover-talk", " 200");
    for (var flow : flowPods.entrySet()) {
      podsA.start(
          NS,
          flow.getKey(),
          client,
          Map.of("app", "scraper"),
          "sleep 5; exec python3 - "
              + KindInternet.WEB_ADDRESS
              + " "
              + KindInternet.COUNTER_PORT
              + " 300"
              + flow.getValue()
              + " <<'EOF'\n"
              + labScript("counter_client.py")
              + "\nEOF\n");
    }
    podsA.awaitRunning(NS, "failover-loop", Duration.ofMinutes(2));
    for (String flow : flowPods.keySet()) {
      await(
          a,
          flow + "'s first lines through the VPS",
          Duration.ofMinutes(1),
          () -> podsA.logs(NS, flow).contains("from " + KindInternet.VPS_ADDRESS));
    }
    Thread.sleep(3000);
    Instant stopped = Instant.now();
    // docker stop waits for the node's systemd to shut down (up to its 10 s grace): the operator
    // may move the gateway meanwhile, so watch while it runs.
    // Its own thread, not the common pool: the Kubernetes client's own async work runs there, and
    // a blocked pool thread (2 cores: one) would hold up every poll below until the stop is over.
    java.util.concurrent.ExecutorService stopper =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    java.util.concurrent.CompletableFuture<String> stopping =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> Docker.run(Duration.ofMinutes(2), "stop", gateway), stopper);
    stopper.shutdown();
    try {
      Awaitility.await("another gateway is active")
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(
              () -> {
                String now = tunnel(a, NS, TUNNEL).getStatus().getActiveGateway();
                return now != null && !now.equals(gateway);
              });
      Instant moved = Instant.now();
      stopping.join();
      System.out.printf(
          "[kind] failover: stopped the gateway node's container %s (docker stop took %.1f s)%n",
          gateway, Duration.between(stopped, Instant.now()).toMillis() / 1000.0);
      await(
          a,
          "requests through the VPS again",
          Duration.ofMinutes(3),
          () ->
              Outcome.of(podsA.logs(NS, "failover-loop")).stream()
                  .anyMatch(
                      o ->
                          o.millis() > moved.toEpochMilli()
                              && o.seen().equals(KindInternet.VPS_ADDRESS)));
      List<Outcome> outcomes = Outcome.of(podsA.logs(NS, "failover-loop"));
      long lastBefore =
          outcomes.stream()
              .filter(o -> o.millis() < stopped.toEpochMilli())
              .mapToLong(Outcome::millis)
              .max()
              .orElse(stopped.toEpochMilli());
      long firstFail =
          outcomes.stream()
              .filter(
                  o ->
                      o.millis() >= stopped.toEpochMilli()
                          && !o.seen().equals(KindInternet.VPS_ADDRESS))
              .mapToLong(Outcome::millis)
              .min()
              .orElse(lastBefore);
      long firstAfter =
          outcomes.stream()
              .filter(o -> o.millis() > firstFail && o.seen().equals(KindInternet.VPS_ADDRESS))
              .mapToLong(Outcome::millis)
              .min()
              .orElseThrow();
      Instant back = Instant.ofEpochMilli(firstAfter);
      String newGateway = tunnel(a, NS, TUNNEL).getStatus().getActiveGateway();
      // Why it moved: the operator records the Event just after the status.
      a.client().v1().events().inNamespace(NS).list().getItems().stream()
          .filter(e -> "GatewayFailover".equals(e.getReason()))
          .filter(
              e ->
                  e.getMessage() != null
                      && e.getMessage()
                          .startsWith("active gateway moved from " + gateway + " to " + newGateway))
          .forEach(
              e ->
                  System.out.printf(
                      "[kind] failover: Event %s %s%n", e.getLastTimestamp(), e.getMessage()));
      System.out.printf(
          "[kind] failover: gateway %s -> %s %.1f s after the stop (seen by a poll every"
              + " 250 ms); requests through the VPS again %.1f s after the stop (%s)%n",
          gateway,
          newGateway,
          Duration.between(stopped, moved).toMillis() / 1000.0,
          (firstAfter - stopped.toEpochMilli()) / 1000.0,
          tally(podsA.logs(NS, "failover-loop")));
      assertThat(outcomes)
          .as("no request left from a node address during failover")
          .allMatch(o -> o.seen().equals(KindInternet.VPS_ADDRESS) || o.seen().equals("FAIL"));

      // The long-lived flows: do they go on through the new gateway? TCP retransmits with a
      // backoff that has grown during the outage, so give each up to 90 s to show either way.
      java.util.function.Predicate<String> counterAfterSwitch =
          l -> l.matches("\\d+ \\d+") && Long.parseLong(l.split(" ")[0]) > back.toEpochMilli();
      for (String flow : flowPods.keySet()) {
        java.util.function.Supplier<List<String>> flowLines =
            () -> podsA.logs(NS, flow).lines().toList();
        try {
          Awaitility.await()
              .atMost(Duration.ofSeconds(90))
              .pollInterval(Duration.ofSeconds(2))
              .ignoreExceptions()
              .until(
                  () ->
                      flowLines.get().stream()
                          .anyMatch(l -> counterAfterSwitch.test(l) || l.startsWith("END")));
        } catch (ConditionTimeoutException e) {
          // reported below as not survived
        }
        List<String> lines = flowLines.get();
        long afterSwitch = lines.stream().filter(counterAfterSwitch).count();
        String end =
            lines.stream().filter(l -> l.startsWith("END")).findFirst().orElse("(still open)");
        System.out.printf(
            "[kind] failover: the established TCP flow %s (%s) %s: %d counter lines after the "
                + "switch, end: %s%n",
            flow,
            flow.equals("failover-talk") ? "its client talks" : "it only receives",
            afterSwitch > 0 ? "SURVIVED" : "did not survive",
            afterSwitch,
            end);
      }
      assertThat(newGateway).isNotEqualTo(gateway);
    } finally {
      // The node comes back whatever happened: the scenarios after this one need every node.
      try {
        stopping.join();
      } catch (RuntimeException e) {
        System.out.printf("[kind] failover: docker stop failed: %s%n", e);
      }
      Docker.run(Duration.ofMinutes(2), "start", gateway);
      await(
          a,
          gateway + " Ready again",
          Duration.ofMinutes(4),
          () ->
              a.client().nodes().withName(gateway).get().getStatus().getConditions().stream()
                  .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
    }
    podsA.delete(NS, "failover-loop");
    podsA.delete(NS, "failover-flow");
    podsA.delete(NS, "failover-talk");
  }

  // ---- 5. helm upgrade, then uninstall leaves nothing
  // ---------------------------------------------

  @Test
  @Order(5)
  void helmUpgradeRollsTheAgentsAndUninstallLeavesNothing() {
    DaemonSet before = agents(a);
    Set<String> podsBefore =
        agentPods(a).stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    // The chart's one value for the cluster's ranges: the operator's refusals and the agents'
    // --cluster-cidr both come from it.
    // Cluster A is dual-stack: its IPv6 service range goes the same way.
    String clusterCidr = "--cluster-cidr=" + String.join(",", a.serviceSubnets());
    Map<String, String> clusterCidrs = new LinkedHashMap<>();
    for (int i = 0; i < a.serviceSubnets().size(); i++) {
      clusterCidrs.put("clusterCIDRs[" + i + "]", a.serviceSubnets().get(i));
    }
    a.upgradeTunnelier(clusterCidrs);
    await(
        a,
        "the agents' DaemonSet has " + clusterCidr + " and every agent pod rolled",
        Duration.ofMinutes(6),
        () -> {
          DaemonSet ds = agents(a);
          List<Pod> now = agentPods(a);
          return ds.getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .getArgs()
                  .contains(clusterCidr)
              && now.size() == a.nodes().size()
              && now.stream().noneMatch(p -> podsBefore.contains(p.getMetadata().getUid()))
              && now.stream()
                  .allMatch(
                      p ->
                          p.getStatus().getContainerStatuses() != null
                              && p.getStatus().getContainerStatuses().stream()
                                  .allMatch(s -> s.getReady()));
        });
    System.out.printf(
        "[kind] helm upgrade: agent DaemonSet generation %d -> %d, %d agent pods "
            + "replaced, args now %s%n",
        before.getMetadata().getGeneration(),
        agents(a).getMetadata().getGeneration(),
        podsBefore.size(),
        agents(a).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
    String pod = "scraper-" + shortName(a.controlPlane());
    await(
        a,
        "egress works after the upgrade",
        Duration.ofMinutes(3),
        () -> KindInternet.VPS_ADDRESS.equals(podsA.sourceSeenByWeb(NS, pod)));

    // Least privilege, as installed: never privileged, two capabilities, no RBAC denial logged.
    Container agent = agents(a).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(agent.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(agent.getSecurityContext().getCapabilities().getAdd())
        .containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
    for (KindCluster c : clusters()) {
      for (Pod p : c.client().pods().inNamespace(KindCluster.RELEASE_NAMESPACE).list().getItems()) {
        String log = c.client().pods().resource(p).getLog();
        assertThat(log)
            .as(c.name() + "/" + p.getMetadata().getName() + " logs no RBAC denial")
            .doesNotContain("Forbidden")
            .doesNotContain("forbidden");
      }
    }

    for (KindCluster c : clusters()) {
      // Each Tunnel by name, as a user's `kubectl delete tunnel` does; not one collection
      // delete across namespaces: that call failed once in CI with an I/O-level error and no API
      // status, and its cause was lost. A failed call is printed whole and asked again on the
      // next poll; what is asserted is that every Tunnel goes, finalizers done.
      await(
          c,
          "every Tunnel in " + c.name() + " is gone (finalizers done)",
          Duration.ofMinutes(3),
          () -> {
            List<Tunnel> left =
                c.client().resources(Tunnel.class).inAnyNamespace().list().getItems();
            for (Tunnel t : left) {
              if (t.getMetadata().getDeletionTimestamp() == null) {
                deleteReportingFailure(c, t);
              }
            }
            return left.isEmpty();
          });
      await(
          c,
          "the agents' DaemonSet is gone with the last Tunnel",
          Duration.ofMinutes(2),
          () -> agentPods(c).isEmpty());
      c.uninstallTunnelier();
      for (String node : c.nodes()) {
        // The same ownership markers as the lab's CleanupIT (docs/agent.md, "What the agent owns").
        HostObjects left = HostObjects.of(command -> c.onNode(node, command));
        System.out.printf(
            "[kind] uninstall: %s/%s: %s%n",
            c.name(),
            node,
            left.noneOfOurs()
                ? "nothing of Tunnelier's left (links, routes, rules, neighbours, fdb, nftables)"
                : left.ours());
        assertThat(left.noneOfOurs())
            .as("what Tunnelier left on " + node + ": " + left.ours())
            .isTrue();
        // The CNI plugin (agent.cniHold, the default): out of the chain, binary and file gone.
        String cni =
            c.onNode(
                node,
                "sh",
                "-c",
                "cat /etc/cni/net.d/*; ls /opt/cni/bin; for f in /var/lib/tunnelier/cni/*; do"
                    + " [ -e \"$f\" ] && echo \"$f\"; done; true");
        assertThat(cni)
            .as("the CNI configuration and directories of " + node)
            .doesNotContain("tunnelier");
      }
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  /**
   * Sends SIGSTOP or SIGCONT to the node's agent, the {@code java ... node-agent.jar} process (the
   * node image has no pkill; matching the command's start keeps this shell out of it). Returns how
   * many processes got it.
   */
  /**
   * Sends {@code signal} to the node agent's JVM on {@code node}; returns how many processes got
   * it. A process whose parent is that JVM is skipped: between fork and exec a child the agent
   * spawns (ip, nft) still has the JVM's command line, and a scan that caught one counted two
   * agents and stopped the child too (KindIT failed so once, and the agent it left frozen failed
   * the tests after it).
   */
  private int signalAgent(String node, String signal) {
    String out =
        a.onNode(
            node,
            "sh",
            "-c",
            "agent() { case \"$(tr '\\0' ' ' < /proc/$1/cmdline 2>/dev/null)\" in"
                + " java*node-agent.jar*) return 0;; esac; return 1; };"
                + " n=0; for p in /proc/[0-9]*; do pid=${p#/proc/};"
                + " agent $pid || continue;"
                + " ppid=; while read k v; do [ \"$k\" = PPid: ] && ppid=$v; done"
                + " < $p/status 2>/dev/null;"
                + " [ -n \"$ppid\" ] && agent $ppid && continue;"
                + " kill -"
                + signal
                + " $pid && n=$((n+1)); done; echo $n");
    return Integer.parseInt(out.strip());
  }

  private String[] images() {
    return new String[] {
      KindEnvironment.OPERATOR_IMAGE, KindEnvironment.AGENT_IMAGE, env.toolsImage()
    };
  }

  private List<KindCluster> clusters() {
    return b == null ? List.of(a) : List.of(a, b);
  }

  private static DaemonSet agents(KindCluster c) {
    return c.client()
        .apps()
        .daemonSets()
        .inNamespace(KindCluster.RELEASE_NAMESPACE)
        .withName("tunnelier-node-agent")
        .get();
  }

  private static List<Pod> agentPods(KindCluster c) {
    return c.client().pods().inNamespace(KindCluster.RELEASE_NAMESPACE).list().getItems().stream()
        .filter(p -> p.getMetadata().getName().startsWith("tunnelier-node-agent-"))
        .toList();
  }

  /**
   * A shell loop: {@code count} GETs to the web host, one line each: the time (ms since the epoch)
   * and what the web host saw, or FAIL.
   */
  private static String requestLoop(int count, String interval) {
    return "i=0; while [ $i -lt "
        + count
        + " ]; do i=$((i+1)); "
        + "echo \"$(date +%s%3N) $(curl -s --max-time 1 http://"
        + KindInternet.WEB_ADDRESS
        + ":"
        + KindInternet.HTTP_PORT
        + "/ || echo FAIL)\"; sleep "
        + interval
        + "; done";
  }

  /** One request loop's line: when, and what the web host saw (or FAIL). */
  private record Outcome(long millis, String seen) {
    static List<Outcome> of(String log) {
      return log.lines()
          .map(String::strip)
          .filter(l -> l.matches("\\d+ \\S+"))
          .map(l -> new Outcome(Long.parseLong(l.split(" ")[0]), l.split(" ")[1]))
          .toList();
    }
  }

  private static Map<String, Long> tally(String log) {
    return Outcome.of(log).stream()
        .collect(Collectors.groupingBy(Outcome::seen, LinkedHashMap::new, Collectors.counting()));
  }

  private Tunnel siteToSite(String name, KindCluster peer, KindCluster local) {
    Tunnel t = example("site-to-site.yaml");
    t.getMetadata().setName(name);
    t.getMetadata().setNamespace(SITES_NS);
    t.getSpec().getPeer().setEndpoint(peer.nodeAddress(peer.workers().get(0)) + ":51820");
    t.getSpec().getPeer().setPublicKey(null);
    t.getSpec().getGateway().setNodeSelector(Map.of(SITE_GATEWAY_LABEL, "true"));
    t.getSpec().setAddress(null);
    t.getSpec().getSiteToSite().setRemoteCIDRs(List.of(peer.podSubnet()));
    t.getSpec().getSiteToSite().setLocalCIDRs(List.of(local.podSubnet()));
    return t;
  }

  private static String awaitPublicKey(KindCluster c, String name) {
    await(
        c,
        name + " has status.publicKey",
        Duration.ofMinutes(2),
        () -> {
          Tunnel t = tunnel(c, SITES_NS, name);
          return t.getStatus() != null && t.getStatus().getPublicKey() != null;
        });
    return tunnel(c, SITES_NS, name).getStatus().getPublicKey();
  }

  private static String awaitPeerConfig(KindCluster c, String ns, String name) {
    await(
        c,
        "Secret " + name + "-peer-config with peer.yaml",
        Duration.ofMinutes(2),
        () -> {
          var s = c.client().secrets().inNamespace(ns).withName(name + "-peer-config").get();
          return s != null && s.getData() != null && s.getData().containsKey("peer.yaml");
        });
    var s = c.client().secrets().inNamespace(ns).withName(name + "-peer-config").get();
    return new String(
        java.util.Base64.getDecoder().decode(s.getData().get("peer.yaml")),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  private Tunnel example(String file) {
    try {
      Tunnel t =
          Serialization.unmarshal(
              Files.readString(env.repoRoot().resolve("examples").resolve(file)), Tunnel.class);
      return t;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String labScript(String name) {
    try {
      return Files.readString(env.repoRoot().resolve("e2e/src/test/resources/lab").resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Tunnel tunnel(KindCluster c, String ns, String name) {
    return c.client().resources(Tunnel.class).inNamespace(ns).withName(name).get();
  }

  private static boolean ready(Tunnel t) {
    return t != null
        && t.getStatus() != null
        && t.getStatus().getConditions() != null
        && t.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String shortName(String node) {
    return node.substring(node.indexOf('-', node.indexOf('-') + 1) + 1);
  }

  /** {@code kubectl-tunnelier ARGS} (the launcher the cli module builds) against cluster c. */
  private String plugin(KindCluster c, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "env",
                "JAVA_HOME=" + System.getProperty("java.home"),
                env.repoRoot().resolve("cli/target/kubectl-tunnelier").toString(),
                "--kubeconfig",
                c.kubeconfig().toString()));
    command.addAll(List.of(args));
    io.tunnelier.agent.lab.Exec.Result r =
        io.tunnelier.agent.lab.Exec.run(Duration.ofMinutes(2), command);
    assertThat(r.exitCode())
        .as("kubectl tunnelier %s: %s", String.join(" ", args), r.stderr())
        .isZero();
    return r.stdout();
  }

  private String kubectl(KindCluster c, String... args) {
    List<String> command =
        new ArrayList<>(List.of(env.kubectl(), "--kubeconfig", c.kubeconfig().toString()));
    command.addAll(List.of(args));
    return "kubectl "
        + String.join(" ", args)
        + " ("
        + c.name()
        + ")\n"
        + io.tunnelier.agent.lab.Exec.run(Duration.ofSeconds(30), command).stdout();
  }

  /** Waits; a timeout says what was awaited and shows the Tunnels and the agents' last lines. */
  private static void deleteReportingFailure(KindCluster c, Tunnel t) {
    try {
      c.client().resource(t).delete();
    } catch (RuntimeException e) {
      StringBuilder chain = new StringBuilder();
      for (Throwable x = e; x != null; x = x.getCause()) {
        chain.append("\n  caused by ").append(x);
      }
      System.out.printf(
          "[kind] deleting Tunnel %s/%s in %s failed at %s:%s%n",
          t.getMetadata().getNamespace(),
          t.getMetadata().getName(),
          c.name(),
          Instant.now(),
          chain);
      throw e;
    }
  }

  private static void await(KindCluster c, String what, Duration atMost, Callable<Boolean> cond) {
    try {
      Awaitility.await(what)
          .atMost(atMost)
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .until(cond);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("timed out waiting until " + what + diagnostics(c), e);
    }
  }

  private static String diagnostics(KindCluster c) {
    StringBuilder s = new StringBuilder("\n--- Tunnels in " + c.name() + " ---\n");
    try {
      for (Tunnel t : c.client().resources(Tunnel.class).inAnyNamespace().list().getItems()) {
        s.append(Serialization.asYaml(t.getStatus())).append('\n');
      }
      for (Pod p : c.client().pods().inNamespace(KindCluster.RELEASE_NAMESPACE).list().getItems()) {
        s.append("--- ")
            .append(p.getMetadata().getName())
            .append(" on ")
            .append(p.getSpec().getNodeName())
            .append(" ---\n");
        s.append(c.client().pods().resource(p).tailingLines(25).getLog()).append('\n');
      }
    } catch (RuntimeException e) {
      s.append("(cannot read: ").append(e).append(")\n");
    }
    return s.toString();
  }
}
