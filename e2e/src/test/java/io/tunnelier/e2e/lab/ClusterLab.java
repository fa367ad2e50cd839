package io.tunnelier.e2e.lab;

import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small cluster and its internet, in network namespaces (ARCHITECTURE.md, "The lab").
 *
 * <pre>
 *   pod-a1 pod-a2        pod-b1 pod-b2
 *      \   /                \   /
 *     node-a 192.0.2.11   node-b 192.0.2.12      pods: 100.64.1x.0/24 per node (host-gw routes)
 *          \               /
 *           lan (bridge br0) ── edge 192.0.2.1 | 198.51.100.2   (optionally NATs the cluster)
 *                                    |
 *                                   wan 198.51.100.1 ── vps 203.0.113.10
 *                                                    └─ web 203.0.113.80:8080 (echoes source IP)
 * </pre>
 *
 * Each node masquerades as flannel does ({@code --ip-masq}), in its own nftables table {@code
 * lab_cni} at priority srcnat: its pods' traffic to anything outside the pod network, and traffic
 * from outside the pod network to other nodes' pods, leave with the node's address whatever the
 * output device (tunnel devices included). The nodes filter reverse paths strictly ({@code
 * net.ipv4.conf.all.rp_filter=1}, and {@code default} for the links created later), as kind's nodes
 * and many distributions do. Nothing here is Tunnelier's: this is the world the agents are dropped
 * into.
 */
public final class ClusterLab implements AutoCloseable {
  public static final String VPS_ADDRESS = "203.0.113.10";
  public static final String WEB_ADDRESS = "203.0.113.80";

  /**
   * A second address of the internet host, in 198.51.100.0/24, for Tunnels that send only part of
   * the internet through the VPS (examples/egress-gre-over-udp.yaml). Only after {@link
   * #startSecondWebAddress()}.
   */
  public static final String WEB_ADDRESS_2 = "198.51.100.80";

  /** A second VPS, for Tunnels with a backup peer; only after {@link #startSecondVps()}. */
  public static final String VPS_2_ADDRESS = "203.0.113.20";

  public static final int WEB_PORT = 8080;
  public static final String EDGE_PUBLIC_ADDRESS = "198.51.100.2";
  public static final String POD_SUPERNET = "100.64.0.0/16";

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  /**
   * How a cluster site is addressed. Site 0 is the lab's first cluster; site 1 a second cluster on
   * the same internet, for site-to-site (its own LAN, edge address and pod CIDRs).
   */
  record Site(
      String names,
      String lanPrefix,
      int lanBits,
      int edgeHost,
      int firstNodeHost,
      String wanSide,
      String edgePublic,
      int podSecondOctet) {
    static final Site FIRST =
        new Site("", "192.0.2.", 24, 1, 11, "198.51.100.1", EDGE_PUBLIC_ADDRESS, 64);
    static final Site SECOND =
        new Site("b-", "203.0.113.", 26, 129, 139, "198.51.100.17", "198.51.100.18", 65);

    String lan() {
      return lanPrefix + (edgeHost - 1) + "/" + lanBits;
    }

    String edgeLan() {
      return lanPrefix + edgeHost;
    }

    String podSupernet() {
      return "100." + podSecondOctet + ".0.0/16";
    }

    /** The IPv6 pod network after {@link ClusterLab#addIpv6Pods()}: inside fd00::/8. */
    String podSupernet6() {
      return "fd00:" + podSecondOctet + "::/32";
    }
  }

  private final Lab lab;
  private final Path workDir;
  private final Site site;
  private final boolean ownsLab;
  private boolean natInFront;
  private final Map<String, LabNode> nodes = new LinkedHashMap<>();
  private final Map<String, LabPod> pods = new LinkedHashMap<>();
  private Netns wan;
  private Netns edge;
  private Netns lanSwitch;
  private Netns vps;
  private Netns vps2;
  private Netns web;

  /**
   * A cluster node: its namespace, underlay address and pod CIDR; {@code podCidr6} its IPv6 pod
   * CIDR after {@link #addIpv6Pods()}, else null.
   */
  public record LabNode(
      String name, Netns ns, String address, String podCidr, int index, String podCidr6) {}

  /** A pod: its namespace, node, address and labels; {@code ip6} null unless dual-stack. */
  public record LabPod(
      String name, Netns ns, LabNode node, String ip, Map<String, String> labels, String ip6) {}

  private ClusterLab(Lab lab, Path workDir, Site site, boolean ownsLab) {
    this.lab = lab;
    this.workDir = workDir;
    this.site = site;
    this.ownsLab = ownsLab;
  }

  /**
   * Builds the topology with {@code nodeCount} nodes. With {@code natInFront}, the edge router
   * masquerades the cluster's underlay behind 198.51.100.2, as a home or office router would.
   */
  public static ClusterLab create(int nodeCount, boolean natInFront) {
    Lab.assumeAvailable();
    Lab lab = Lab.create();
    try {
      ClusterLab cluster = new ClusterLab(lab, workDirectory(), Site.FIRST, true);
      cluster.buildInternet();
      cluster.buildSite(nodeCount, natInFront);
      return cluster;
    } catch (IOException e) {
      lab.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      lab.close();
      throw e;
    }
  }

  /**
   * A second cluster on the same internet as {@code first} (same VPS and web host), with its own
   * edge router, LAN (203.0.113.128/26) and pod CIDRs (100.65.x.0/24); its namespaces are named
   * {@code b-...}. Closing {@code first} removes it too.
   */
  public static ClusterLab secondSite(ClusterLab first, int nodeCount, boolean natInFront) {
    ClusterLab second = new ClusterLab(first.lab, first.workDir, Site.SECOND, false);
    second.wan = first.wan;
    second.vps = first.vps;
    second.web = first.web;
    second.buildSite(nodeCount, natInFront);
    return second;
  }

  /**
   * Logs and files of one lab: under the module's target/ when run from the build (removed by
   * {@code mvn clean}, kept for a look after a failure), else in the system's temp directory.
   */
  private static Path workDirectory() throws IOException {
    Path target = Path.of("target");
    return Files.isDirectory(target)
        ? Files.createTempDirectory(target.toAbsolutePath(), "lab-")
        : Files.createTempDirectory("tunnelier-lab-");
  }

  private void buildInternet() {
    wan = lab.netns("wan");
    vps = lab.netns("vps");
    web = lab.netns("web");
    // The internet: wan routes between the edges, the VPS and the web host.
    lab.veth(wan, "to-vps", "203.0.113.1/28", vps, "eth0", VPS_ADDRESS + "/28");
    lab.veth(wan, "to-web", "203.0.113.65/26", web, "eth0", WEB_ADDRESS + "/26");
    forwarding(wan);
    vps.ip("route add default via 203.0.113.1");
    web.ip("route add default via 203.0.113.65");
    startEchoServer();
  }

  private void buildSite(int nodeCount, boolean natInFront) {
    edge = lab.netns(site.names() + "edge");
    lanSwitch = lab.netns(site.names() + "lan");
    lanSwitch.ip("link add br0 type bridge");
    lanSwitch.ip("link set br0 up");
    lab.veth(
        wan,
        "to-" + site.names() + "edge",
        site.wanSide() + "/28",
        edge,
        "wan0",
        site.edgePublic() + "/28");

    // The cluster's LAN: the edge router and the nodes on one bridge.
    attachToLan(edge, "lan0", site.edgeLan() + "/" + site.lanBits(), "e-edge");
    forwarding(edge);
    edge.ip("route add default via " + site.wanSide());
    this.natInFront = natInFront;
    if (natInFront) {
      nft(
          edge,
          """
          table ip lab_nat {
            chain postrouting {
              type nat hook postrouting priority srcnat;
              oifname "wan0" ip saddr %s masquerade
            }
          }
          """
              .formatted(site.lan()));
    } else {
      wan.ip("route add " + site.lan() + " via " + site.edgePublic());
    }

    for (int i = 0; i < nodeCount; i++) {
      addNode(i);
    }
    // host-gw pod routing: every node reaches every other node's pod CIDR via that node.
    for (LabNode from : nodes.values()) {
      for (LabNode to : nodes.values()) {
        if (from != to) {
          from.ns().ip("route add " + to.podCidr() + " via " + to.address());
        }
      }
    }
  }

  private void addNode(int index) {
    String name = "node-" + (char) ('a' + index);
    Netns ns = lab.netns(site.names() + name);
    String address = site.lanPrefix() + (site.firstNodeHost() + index);
    String podCidr = "100." + site.podSecondOctet() + "." + (11 + index) + ".0/24";
    // Strict reverse-path filtering, in this namespace only: "all" for every link, "default"
    // for those created later (the pods' and the agents').
    ns.execOk("sysctl", "-q", "-w", "net.ipv4.conf.all.rp_filter=1");
    ns.execOk("sysctl", "-q", "-w", "net.ipv4.conf.default.rp_filter=1");
    attachToLan(ns, "eth0", address + "/" + site.lanBits(), "e-" + name);
    ns.ip("route add default via " + site.edgeLan());
    forwarding(ns);
    // The "CNI": flannel's masquerade rules (--ip-masq), which match on addresses only.
    nft(
        ns,
        """
        table ip lab_cni {
          chain postrouting {
            type nat hook postrouting priority srcnat;
            ip saddr %1$s ip daddr %1$s return
            ip saddr %1$s ip daddr != 224.0.0.0/4 masquerade
            ip saddr != %1$s ip daddr %2$s return
            ip saddr != %1$s ip daddr %1$s masquerade
          }
        }
        """
            .formatted(site.podSupernet(), podCidr));
    nodes.put(name, new LabNode(name, ns, address, podCidr, index, null));
  }

  /**
   * Makes the pod network dual-stack, as a dual-stack CNI would: every node gets an IPv6 pod CIDR
   * ({@code fd00:<64|65>:<11+n>::/64}, registered in its Node's spec.podCIDRs), IPv6 forwarding and
   * flannel's masquerade rules for IPv6, and every pod added afterwards an IPv6 address from it
   * (status.podIPs). Call before the cluster is installed. Between the nodes of one site IPv6 is
   * not routed (the LAN has no IPv6): the tunnels' VXLAN hops carry it over IPv4.
   */
  public ClusterLab addIpv6Pods() {
    for (LabNode n : List.copyOf(nodes.values())) {
      String podCidr6 = "fd00:" + site.podSecondOctet() + ":" + (11 + n.index()) + "::/64";
      n.ns().execOk("sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1");
      nft(
          n.ns(),
          """
          table ip6 lab_cni6 {
            chain postrouting {
              type nat hook postrouting priority srcnat;
              ip6 saddr %1$s ip6 daddr %1$s return
              ip6 saddr %1$s ip6 daddr != ff00::/8 masquerade
            }
          }
          """
              .formatted(site.podSupernet6()));
      nodes.put(
          n.name(), new LabNode(n.name(), n.ns(), n.address(), n.podCidr(), n.index(), podCidr6));
    }
    return this;
  }

  /** The IPv6 pod network of this site, after {@link #addIpv6Pods()}. */
  public String podSupernet6() {
    return site.podSupernet6();
  }

  /** The VPS's IPv6 address, after {@link #addIpv6Underlay()}. */
  public static final String VPS_IPV6_ADDRESS = "2001:db8:0:3::10";

  /** The internet host's IPv6 address, after {@link #addIpv6Underlay()}. */
  public static final String WEB_IPV6_ADDRESS = "2001:db8:0:4::80";

  /**
   * Gives the underlay IPv6 too, from 2001:db8::/32 (documentation), routed without NAT: the nodes
   * on the LAN 2001:db8:0:1::/64 (node-a ::11, node-b ::12, ...), the edge ::1 there and
   * 2001:db8:0:2::2 towards the internet, the VPS {@value #VPS_IPV6_ADDRESS}, the internet host
   * {@value #WEB_IPV6_ADDRESS} (no echo server there yet), and the nodes' IPv6 pod CIDRs between
   * them. IPv6 forwarding is on in the edge and wan namespaces only. For the first site only.
   */
  public void addIpv6Underlay() {
    if (site != Site.FIRST) {
      throw new IllegalStateException("an IPv6 underlay is for the first site only");
    }
    for (Netns router : List.of(wan, edge)) {
      router.execOk("sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1");
    }
    wan.ip("-6 addr add 2001:db8:0:2::1/64 dev to-edge nodad");
    wan.ip("-6 addr add 2001:db8:0:3::1/64 dev to-vps nodad");
    wan.ip("-6 route add 2001:db8:0:1::/64 via 2001:db8:0:2::2");
    edge.ip("-6 addr add 2001:db8:0:1::1/64 dev lan0 nodad");
    edge.ip("-6 addr add 2001:db8:0:2::2/64 dev wan0 nodad");
    edge.ip("-6 route add default via 2001:db8:0:2::1");
    vps.ip("-6 addr add " + VPS_IPV6_ADDRESS + "/64 dev eth0 nodad");
    vps.ip("-6 route add default via 2001:db8:0:3::1");
    wan.ip("-6 addr add 2001:db8:0:4::1/64 dev to-web nodad");
    web.ip("-6 addr add " + WEB_IPV6_ADDRESS + "/64 dev eth0 nodad");
    web.ip("-6 route add default via 2001:db8:0:4::1");
    for (LabNode n : nodes.values()) {
      n.ns().ip("-6 addr add 2001:db8:0:1::" + (11 + n.index()) + "/64 dev eth0 nodad");
      n.ns().ip("-6 route add default via 2001:db8:0:1::1");
    }
    // With IPv6 pods (addIpv6Pods), the LAN now routes them between the nodes too, as a
    // dual-stack CNI in host-gw mode would: ICMPv6 errors a node sends another's pod take it.
    for (LabNode n : nodes.values()) {
      for (LabNode other : nodes.values()) {
        if (other != n && other.podCidr6() != null) {
          n.ns()
              .ip(
                  "-6 route add "
                      + other.podCidr6()
                      + " via 2001:db8:0:1::"
                      + (11 + other.index()));
        }
      }
    }
  }

  /**
   * Makes this site's edge NAT behave like most real ones (consumer routers, cloud NAT gateways)
   * rather than like Linux's: it translates only TCP, UDP and ICMP and drops every other protocol,
   * and it picks the public source port itself. Linux's conntrack NATs even protocols it does not
   * know (by address only), so without this raw GRE (IP protocol 47) would pass the lab's
   * masquerade where it does not pass a real NAT; and it keeps a flow's source port when it can,
   * which would hide a far end that expects the port it was configured with instead of learning the
   * translated one. Only with {@code natInFront}.
   */
  public ClusterLab natLikeMostRouters() {
    if (!natInFront) {
      throw new IllegalStateException("this site has no NAT in front (natInFront=false)");
    }
    nft(
        edge,
        """
        delete table ip lab_nat
        table ip lab_nat {
          chain postrouting {
            type nat hook postrouting priority srcnat;
            oifname "wan0" ip saddr %s masquerade fully-random
          }
          chain forward {
            type filter hook forward priority filter;
            oifname "wan0" meta l4proto != { tcp, udp, icmp } counter drop
            iifname "wan0" meta l4proto != { tcp, udp, icmp } counter drop
          }
        }
        """
            .formatted(site.lan()));
    return this;
  }

  /**
   * Packets a node's kernel has dropped for failing the reverse-path check so far (its {@code
   * TcpExt IPReversePathFilter} counter, which counts every protocol).
   */
  public long reversePathDrops(String nodeName) {
    String[] lines = nodes.get(nodeName).ns().execOk("cat", "/proc/net/netstat").split("\n");
    for (int i = 0; i + 1 < lines.length; i += 2) {
      String[] names = lines[i].split(" ");
      String[] values = lines[i + 1].split(" ");
      for (int k = 1; k < names.length && names[0].equals("TcpExt:"); k++) {
        if (names[k].equals("IPReversePathFilter")) {
          return Long.parseLong(values[k]);
        }
      }
    }
    throw new IllegalStateException("no TcpExt IPReversePathFilter in /proc/net/netstat");
  }

  /**
   * Starts counting, on the internet host, ICMP and ICMPv6 echo requests (pings) from {@code
   * sources} (addresses or CIDRs of either family), in a table of its own named {@code lab_<name>};
   * read with {@link #pingsCounted}. Counted at the host's input hook: whatever reached it,
   * answered or not.
   */
  public void countPingsAtWeb(String name, List<String> sources) {
    List<String> v4 = sources.stream().filter(a -> !a.contains(":")).toList();
    List<String> v6 = sources.stream().filter(a -> a.contains(":")).toList();
    StringBuilder rules = new StringBuilder();
    if (!v4.isEmpty()) {
      rules.append(
          "ip saddr { %s } icmp type echo-request counter\n".formatted(String.join(", ", v4)));
    }
    if (!v6.isEmpty()) {
      rules.append(
          "ip6 saddr { %s } icmpv6 type echo-request counter\n".formatted(String.join(", ", v6)));
    }
    nft(
        web,
        """
        table inet lab_%s {
          chain input {
            type filter hook input priority 0; policy accept;
            %s
          }
        }
        """
            .formatted(name, rules));
  }

  /** Pings counted since {@link #countPingsAtWeb} with that name, both families. */
  public long pingsCounted(String name) {
    String out = web.execOk("nft", "list", "chain", "inet", "lab_" + name, "input");
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(out);
    long total = 0;
    boolean any = false;
    while (m.find()) {
      total += Long.parseLong(m.group(1));
      any = true;
    }
    if (!any) {
      throw new IllegalStateException("no counter in " + out);
    }
    return total;
  }

  /**
   * How many requests the internet host has logged from {@code address} so far (its log has one
   * line per request, with the source address it saw).
   */
  public long webRequestsFrom(String address) {
    try (var lines = Files.lines(workDir.resolve("web.log"))) {
      String prefix = "echo " + address + " ";
      return lines.filter(l -> l.startsWith(prefix)).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds a pod namespace behind a veth on its node, with a /32 and a default route. */
  public LabPod addPod(String nodeName, String podName, Map<String, String> labels) {
    LabNode node = nodes.get(nodeName);
    int hostPart = 2 + (int) pods.values().stream().filter(p -> p.node() == node).count();
    String prefix = node.podCidr().substring(0, node.podCidr().lastIndexOf('.'));
    String ip = prefix + "." + hostPart;
    String gatewayIp = prefix + ".1";
    Netns ns = lab.netns(site.names() + podName);
    String hostSide = "p" + node.index() + "-" + hostPart;
    lab.veth(node.ns(), hostSide, gatewayIp + "/32", ns, "eth0", ip + "/32");
    ns.ip("route add " + gatewayIp + " dev eth0");
    ns.ip("route add default via " + gatewayIp + " dev eth0");
    node.ns().ip("route add " + ip + "/32 dev " + hostSide);
    String ip6 = null;
    if (node.podCidr6() != null) {
      ip6 = node.podCidr6().substring(0, node.podCidr6().indexOf("::/")) + "::" + hostPart;
      ns.ip("-6 addr add " + ip6 + "/128 dev eth0 nodad");
      ns.ip("-6 route add fe80::1 dev eth0");
      ns.ip("-6 route add default via fe80::1 dev eth0");
      node.ns().ip("-6 addr add fe80::1/64 dev " + hostSide + " nodad");
      node.ns().ip("-6 route add " + ip6 + "/128 dev " + hostSide);
    }
    LabPod pod = new LabPod(podName, ns, node, ip, Map.copyOf(labels), ip6);
    pods.put(podName, pod);
    return pod;
  }

  private void attachToLan(Netns ns, String ifName, String cidr, String portName) {
    lab.veth(lanSwitch, portName, null, ns, ifName, cidr);
    lanSwitch.ip("link set " + portName + " master br0");
  }

  private static void forwarding(Netns ns) {
    ns.execOk("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
  }

  private static void nft(Netns ns, String ruleset) {
    Exec.run(TIMEOUT, ns.wrap("nft", "-f", "-"), ruleset.getBytes()).orThrow();
  }

  private void startEchoServer() {
    Path script = workDir.resolve("echo_server.py");
    try (InputStream in = ClusterLab.class.getResourceAsStream("/lab/echo_server.py")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    File log = workDir.resolve("web.log").toFile();
    web.spawn(log, "/usr/bin/python3", script.toString(), WEB_ADDRESS, String.valueOf(WEB_PORT));
    // Wait (bounded) until it answers from the web host itself.
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (web.exec(curlArgs(WEB_ADDRESS)).exitCode() == 0) {
        return;
      }
      sleep(100);
    }
    throw new IllegalStateException("echo server did not start; see " + log);
  }

  /**
   * Asks the internet host which source address it sees for a request from {@code ns}; returns the
   * address, or null when the request fails (no route, dropped, timeout).
   */
  public String sourceSeenByWeb(Netns ns) {
    Exec.Result result = ns.exec(Duration.ofSeconds(15), curlArgs(WEB_ADDRESS));
    return result.exitCode() == 0 ? result.stdout().strip() : null;
  }

  /**
   * As {@link #sourceSeenByWeb(Netns)}, giving up after {@code maxTime}: a short wait times a
   * failover to within it.
   */
  public String sourceSeenByWeb(Netns ns, Duration maxTime) {
    Exec.Result result =
        ns.exec(
            maxTime.plusSeconds(10),
            "curl",
            "-s",
            "--max-time",
            String.valueOf(maxTime.toMillis() / 1000.0),
            "http://" + WEB_ADDRESS + ":" + WEB_PORT + "/");
    return result.exitCode() == 0 ? result.stdout().strip() : null;
  }

  private static String[] curlArgs(String host) {
    return new String[] {"curl", "-s", "--max-time", "5", "http://" + host + ":" + WEB_PORT + "/"};
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Lab lab() {
    return lab;
  }

  public Path workDir() {
    return workDir;
  }

  public LabNode node(String name) {
    return nodes.get(name);
  }

  public List<LabNode> nodes() {
    return new ArrayList<>(nodes.values());
  }

  public LabPod pod(String name) {
    return pods.get(name);
  }

  public List<LabPod> pods() {
    return new ArrayList<>(pods.values());
  }

  public Netns wan() {
    return wan;
  }

  public Netns edge() {
    return edge;
  }

  public Netns vps() {
    return vps;
  }

  public Netns web() {
    return web;
  }

  /** The address the internet sees for this site's nodes when the edge NATs them. */
  public String edgePublicAddress() {
    return site.edgePublic();
  }

  /**
   * The prefix of this site's namespace names: empty for the first site, {@code b-} for the second.
   */
  public String namePrefix() {
    return site.names();
  }

  /**
   * Runs the echo server (answers every GET with the client's source address) inside {@code ns},
   * bound to {@code address}: a pod's own service, e.g. for site-to-site. Stopped with the lab.
   */
  /** Gives the internet host {@link #WEB_ADDRESS_2} too, with the same echo server behind it. */
  /** Adds a second VPS on the internet, {@value #VPS_2_ADDRESS}; see {@link #vps2()}. */
  public void startSecondVps() {
    if (vps2 != null) {
      return;
    }
    vps2 = lab.netns("vps2");
    lab.veth(wan, "to-vps2", "203.0.113.17/28", vps2, "eth0", VPS_2_ADDRESS + "/28");
    vps2.ip("route add default via 203.0.113.17");
  }

  public Netns vps2() {
    if (vps2 == null) {
      throw new IllegalStateException("no second VPS: call startSecondVps() first");
    }
    return vps2;
  }

  public void startSecondWebAddress() {
    web.ip("address add " + WEB_ADDRESS_2 + "/32 dev eth0");
    wan.ip("route add " + WEB_ADDRESS_2 + "/32 via " + WEB_ADDRESS);
    startEchoServer(web, WEB_ADDRESS_2, WEB_PORT);
  }

  public void startEchoServer(Netns ns, String address, int port) {
    Path script = workDir.resolve("echo_server.py");
    File log = workDir.resolve(ns.name() + "-echo.log").toFile();
    ns.spawn(log, "/usr/bin/python3", script.toString(), address, String.valueOf(port));
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      // By address too: another server may listen on the same port at another address.
      String hostPort = (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
      if (ns.exec("ss", "-Hltn", "src", hostPort).stdout().contains(hostPort)) {
        return;
      }
      sleep(100);
    }
    throw new IllegalStateException("echo server did not start in " + ns + "; see " + log);
  }

  /**
   * Copies a helper script from the test resources ({@code /lab/<name>}) into the lab's directory.
   */
  public Path script(String name) {
    Path script = workDir.resolve(name);
    try (InputStream in = ClusterLab.class.getResourceAsStream("/lab/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource /lab/" + name);
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return script;
  }

  /**
   * Asks an echo server at {@code host:port} which source address it sees for a request from {@code
   * ns}; null when the request fails.
   */
  public String sourceSeenBy(Netns ns, String host, int port) {
    Exec.Result result =
        ns.exec(
            Duration.ofSeconds(15),
            "curl",
            "-s",
            "--max-time",
            "5",
            "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/");
    return result.exitCode() == 0 ? result.stdout().strip() : null;
  }

  /** The pod network of this site (all nodes' pod CIDRs). */
  public String podSupernet() {
    return site.podSupernet();
  }

  /** Closes the whole lab (both sites); a second site's close does nothing on its own. */
  @Override
  public void close() {
    if (ownsLab) {
      lab.close();
    }
  }
}
