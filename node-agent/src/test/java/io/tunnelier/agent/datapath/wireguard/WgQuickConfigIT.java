package io.tunnelier.agent.datapath.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.api.peerconfig.WgQuickConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wg-quick file the operator renders into {@code <name>-peer-config} brings up a working tunnel
 * with stock WireGuard: Debian's wireguard-go configured by {@code wg setconf} from the file with
 * the wg-quick-only keys stripped (checked against the real {@code wg-quick strip}), addresses and
 * MTU set with {@code ip}, talking to the Java datapath.
 */
class WgQuickConfigIT {
  @TempDir Path dir;
  private final java.util.List<Runnable> cleanups = new java.util.ArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void removeSockets() {
    cleanups.forEach(Runnable::run);
  }

  @Test
  void renderedPeerConfigBringsUpATunnelWithStockWireGuard() throws Exception {
    Lab.assumeAvailable();
    WireGuardGo.Flavour flavour = WireGuardGo.debian();
    if (flavour.unavailable() != null || !Files.isExecutable(Path.of("/usr/bin/wg-quick"))) {
      System.err.println("[wireguard] SKIPPED: wireguard-go or wg-quick missing");
      Assumptions.assumeTrue(false, "wireguard-go or wg-quick missing");
    }
    String vpsPrivate = WireGuardGo.genkey();
    String vpsPublic = WireGuardGo.pubkey(vpsPrivate);
    String clusterPrivate = WireGuardGo.genkey();
    String clusterPublic = WireGuardGo.pubkey(clusterPrivate);

    WgQuickConfig config =
        new WgQuickConfig(
            vpsPrivate,
            List.of("100.64.0.2/30"),
            51820,
            1420,
            new WgQuickConfig.Peer(clusterPublic, null, null, List.of("100.64.0.1/32"), null));
    Path wgQuickFile = dir.resolve("wgv0.conf");
    Files.writeString(wgQuickFile, config.render());

    // Our strip() agrees with wg-quick's own (blank lines aside).
    String theirs =
        io.tunnelier.agent.lab.Exec.run(
                Duration.ofSeconds(10), List.of("wg-quick", "strip", wgQuickFile.toString()))
            .orThrow()
            .stdout();
    assertThat(nonBlank(WgQuickConfig.strip(config.render()))).isEqualTo(nonBlank(theirs));

    try (Lab lab = Lab.create()) {
      Netns cluster = lab.netns("cluster");
      Netns vps = lab.netns("vps");
      String dev = WireGuardGo.uniqueDevice();
      cleanups.add(() -> WireGuardGo.removeSocket(dev));
      lab.veth(cluster, "veth0", "192.0.2.1/24", vps, "veth0", "192.0.2.2/24");

      // The VPS: stock wireguard-go + wg setconf, then what wg-quick would do with Address/MTU.
      WireGuardGo.start(vps, flavour.binary(), dev, dir.resolve("wireguard-go.log").toFile());
      WireGuardGo.setconf(vps, dev, theirs, dir);
      for (String address : config.addresses()) {
        vps.ip("addr add " + address + " dev " + dev);
      }
      vps.ip("link set " + dev + " mtu " + config.mtu() + " up");
      assertThat(vps.execOk("wg", "show", dev, "public-key").strip()).isEqualTo(vpsPublic);
      assertThat(vps.execOk("wg", "show", dev, "listen-port").strip()).isEqualTo("51820");

      // The cluster side: the Java datapath, initiating toward the VPS.
      Path key = dir.resolve("cluster.key");
      Files.writeString(key, clusterPrivate + "\n");
      JavaPeerProcess javaPeer =
          JavaPeerProcess.start(
              cluster,
              dir,
              WireGuardMain.class.getName(),
              "--device",
              "wgc0",
              "--private-key-file",
              key.toString(),
              "--peer-public-key",
              vpsPublic,
              "--endpoint",
              "192.0.2.2:51820",
              "--datapath",
              "userspace");
      javaPeer.await(Duration.ofSeconds(20), m -> m.containsKey("device"));
      cluster.ip("addr add 100.64.0.1/30 dev wgc0");

      WireGuardDatapathInteropIT.ping(cluster, "100.64.0.2");
      WireGuardDatapathInteropIT.ping(vps, "100.64.0.1");
      assertThat(vps.execOk("wg", "show", dev, "latest-handshakes")).contains(clusterPublic);
    }
  }

  private static List<String> nonBlank(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }
}
