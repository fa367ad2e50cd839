package io.tunnelier.agent.probe;

import io.tunnelier.agent.kernel.CommandRunner;
import io.tunnelier.agent.plan.Capabilities;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes with nothing more than NET_ADMIN: TUN by opening {@code /dev/net/tun}; GRE, WireGuard and
 * VXLAN by creating and at once deleting a link of that kind under our prefix (the kernel loads the
 * module on demand where it may); nftables by listing tables. The probe links are never brought up
 * and are removed even if the agent dies in between (the next cleanup or apply removes any {@code
 * tnl*} link it does not want).
 */
public final class KernelProbe {
  private static final Logger LOG = LoggerFactory.getLogger(KernelProbe.class);
  static final String PROBE_LINK = "tnlprobe";
  private final CommandRunner runner;

  public KernelProbe(CommandRunner runner) {
    this.runner = runner;
  }

  public Capabilities probe() {
    Capabilities caps =
        new Capabilities(
            tun(),
            link("gre", List.of("type", "gre", "remote", "192.0.2.1")),
            link("wireguard", List.of("type", "wireguard")),
            link("vxlan", List.of("type", "vxlan", "id", "16777215", "dstport", "4789")),
            nftables());
    LOG.atInfo()
        .setMessage("kernel capabilities")
        .addKeyValue("tun", caps.tun())
        .addKeyValue("gre", caps.gre())
        .addKeyValue("wireguard", caps.wireguard())
        .addKeyValue("vxlan", caps.vxlan())
        .addKeyValue("nftables", caps.nftables())
        .log();
    return caps;
  }

  private static boolean tun() {
    try (RandomAccessFile f = new RandomAccessFile("/dev/net/tun", "rw")) {
      return true;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  private boolean link(String kind, List<String> args) {
    String name = PROBE_LINK + kind.charAt(0);
    List<String> add = new java.util.ArrayList<>(List.of("ip", "link", "add", name));
    add.addAll(args);
    try {
      runner.run(List.of("ip", "link", "del", name), null); // a leftover of a killed probe
      CommandRunner.Result r = runner.run(add, null);
      if (r.exitCode() != 0) {
        LOG.atDebug()
            .setMessage("probe failed")
            .addKeyValue("kind", kind)
            .addKeyValue("error", r.stderr().strip())
            .log();
        return false;
      }
      runner.run(List.of("ip", "link", "del", name), null);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private boolean nftables() {
    try {
      return runner.run(List.of("nft", "list", "tables"), null).exitCode() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
