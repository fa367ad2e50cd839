package io.tunnelier.agent;

import io.tunnelier.agent.cluster.ClusterPlanSource;
import io.tunnelier.agent.cluster.FileClusterView;
import io.tunnelier.agent.kernel.IpCommand;
import io.tunnelier.agent.kernel.KernelDiff;
import io.tunnelier.agent.kernel.KernelState;
import io.tunnelier.agent.kernel.Underlay;
import io.tunnelier.agent.loop.Plans;
import io.tunnelier.agent.nft.NftScript;
import io.tunnelier.agent.plan.Capabilities;
import io.tunnelier.agent.plan.DesiredState;
import io.tunnelier.agent.plan.DesiredStateFunction;
import io.tunnelier.agent.plan.NodeContext;
import io.tunnelier.agent.plan.StandalonePlanner;
import io.tunnelier.agent.plan.TunnelPlan;
import io.tunnelier.agent.standalone.StandaloneConfigSource;
import io.tunnelier.api.peerconfig.InvalidStandaloneConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints what the agent would program, from a config or cluster file; touches nothing. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description =
        "Print the links, addresses, routes, rules and the nftables table the agent would program on a host (from scratch), changing nothing.")
final class PlanCommand implements Callable<Integer> {
  static final class Source {
    @Option(names = "--config", description = "A standalone config (peer.yaml).")
    Path config;

    @Option(
        names = "--cluster-file",
        description = "Tunnels, Nodes and Pods as YAML (with --node-name).")
    Path clusterFile;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--node-name", description = "The node to plan for (with --cluster-file).")
  String nodeName;

  @Option(
      names = "--underlay",
      defaultValue = "eth0,1500,192.0.2.10",
      description =
          "The host's default-route device, MTU and address: dev,mtu,address. Default ${DEFAULT-VALUE}.")
  String underlay;

  @Option(
      names = "--no-kernel-modules",
      description = "Plan for a kernel without GRE and WireGuard (userspace datapath).")
  boolean noModules;

  @Override
  public Integer call() throws Exception {
    String[] u = underlay.split(",");
    Underlay host = new Underlay(u[0], Integer.parseInt(u[1]), u[2]);
    Capabilities caps = noModules ? Capabilities.NO_TUNNEL_MODULES : Capabilities.ALL;
    Plans plans;
    if (source.config != null) {
      try {
        plans =
            new Plans(
                StandalonePlanner.plan(StandaloneConfigSource.read(source.config), host, caps),
                Set.of());
      } catch (InvalidStandaloneConfigException e) {
        System.err.println(e.getMessage());
        return Main.EXIT_BAD_CONFIG;
      }
    } else {
      if (nodeName == null) {
        System.err.println("--node-name: required with --cluster-file");
        return Main.EXIT_BAD_CONFIG;
      }
      plans =
          new ClusterPlanSource(
                  new FileClusterView(source.clusterFile),
                  nodeName,
                  caps,
                  List.of(),
                  NodeContext.DEFAULT_VXLAN_PORT)
              .plans(host);
    }
    DesiredState desired = DesiredStateFunction.compute(plans.plans());
    for (TunnelPlan p : plans.plans()) {
      System.out.println(
          "# tunnel "
              + p.key()
              + ": role "
              + p.role()
              + ", table "
              + p.id().table()
              + (p.device() != null
                  ? ", device "
                      + p.device().name()
                      + " ("
                      + p.device().datapath()
                      + ": "
                      + p.device().datapathReason()
                      + ")"
                  : "")
              + (p.problem() != null ? ", problem: " + p.problem() : ""));
    }
    System.out.println("\n# ip -batch - (tunnel devices are created by the datapath first)");
    String tool = "ip";
    for (IpCommand c : KernelDiff.commands(desired.kernel(), allTunnelDevicesExist(desired))) {
      if (!tool.equals(c.tool())) {
        tool = c.tool();
        System.out.println("\n# " + tool + " -batch -");
      }
      System.out.println(c.batchLine());
    }
    System.out.println("\n# nft list table inet tunnelier");
    System.out.print(desired.nft().isEmpty() ? "(no table)\n" : NftScript.pretty(desired.nft()));
    return 0;
  }

  /** The live state right after the datapaths opened their devices (down, no addresses). */
  private static KernelState allTunnelDevicesExist(DesiredState desired) {
    var devices = new java.util.HashSet<io.tunnelier.agent.kernel.Link>();
    for (TunnelPlan p : desired.plans()) {
      if (p.device() != null) {
        devices.add(
            new io.tunnelier.agent.kernel.Link(
                p.device().name(),
                io.tunnelier.agent.kernel.LinkKind.TUNNEL,
                p.device().mtu(),
                false,
                null,
                null));
      }
    }
    return new KernelState(devices, Set.of(), Set.of(), Set.of(), Set.of());
  }
}
