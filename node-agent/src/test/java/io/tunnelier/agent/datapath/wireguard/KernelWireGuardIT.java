package io.tunnelier.agent.datapath.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.kernel.ProcessRunner;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel WireGuard path ({@code ip link add type wireguard} + {@code wg setconf}) chosen by the
 * capability probe, against wireguard-go. Skips, saying why, on kernels without the module.
 */
class KernelWireGuardIT {
  @TempDir Path dir;
  private final java.util.List<Runnable> cleanups = new java.util.ArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void removeSockets() {
    cleanups.forEach(Runnable::run);
  }

  @Test
  void probeChoosesTheKernelAndItTalksToWireguardGo() throws Exception {
    Lab.assumeAvailable();
    if (!KernelWireGuard.available(new ProcessRunner(Duration.ofSeconds(10)))) {
      String reason =
          "this kernel cannot create wireguard links (probe: `unshare -n ip link add wgprobe0"
              + " type wireguard` failed); the userspace datapath is used instead";
      System.err.println("[wireguard] SKIPPED kernel WireGuard: " + reason);
      Assumptions.assumeTrue(false, reason);
    }
    WireGuardGo.Flavour flavour = WireGuardGo.debian();
    Assumptions.assumeTrue(flavour.unavailable() == null, flavour.unavailable());
    try (Lab lab = Lab.create()) {
      Netns kernel = lab.netns("kernel");
      Netns wg = lab.netns("wg");
      String dev = WireGuardGo.uniqueDevice();
      cleanups.add(() -> WireGuardGo.removeSocket(dev));
      lab.veth(kernel, "veth0", "192.0.2.1/24", wg, "veth0", "192.0.2.2/24");
      String kernelPrivate = WireGuardGo.genkey();
      String wgPrivate = WireGuardGo.genkey();
      WireGuardGo.start(wg, flavour.binary(), dev, dir.resolve("wireguard-go.log").toFile());
      WireGuardGo.setconf(
          wg,
          dev,
          "[Interface]\nPrivateKey = "
              + wgPrivate
              + "\nListenPort = 51820\n[Peer]\nPublicKey = "
              + WireGuardGo.pubkey(kernelPrivate)
              + "\nAllowedIPs = 100.64.0.1/32\n",
          dir);
      wg.ip("addr add 100.64.0.2/30 dev " + dev);
      wg.ip("link set " + dev + " up");
      Path key = dir.resolve("kernel.key");
      Files.writeString(key, kernelPrivate + "\n");
      JavaPeerProcess agent =
          JavaPeerProcess.start(
              kernel,
              dir,
              WireGuardMain.class.getName(),
              "--device",
              "wgk0",
              "--private-key-file",
              key.toString(),
              "--peer-public-key",
              WireGuardGo.pubkey(wgPrivate),
              "--endpoint",
              "192.0.2.2:51820",
              "--datapath",
              "auto");
      Map<String, String> stats = agent.await(Duration.ofSeconds(20), m -> m.containsKey("device"));
      assertThat(kernel.execOk("ip", "-d", "link", "show", "wgk0")).contains("wireguard");
      kernel.ip("addr add 100.64.0.1/30 dev wgk0");
      WireGuardDatapathInteropIT.ping(kernel, "100.64.0.2");
      System.out.println("[wireguard] kernel: " + stats);
    }
  }
}
