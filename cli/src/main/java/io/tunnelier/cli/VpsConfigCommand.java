package io.tunnelier.cli;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tunnelier.api.peerconfig.TunnelPeers;
import io.tunnelier.api.v1alpha1.BackupPeerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vps-config TUNNEL [-p PEER] [-o FILE]}: the far end's config, to copy to the VPS. */
@Command(
    name = "vps-config",
    mixinStandardHelpOptions = true,
    description =
        "Prints (or writes with -o, mode 0600) the config the far end runs, from the"
            + " <name>-peer-config Secret: peer.yaml for the standalone agent, or wg0.conf for"
            + " stock WireGuard. Then e.g. scp it to the VPS (docs/vps.md).")
final class VpsConfigCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", description = "The Tunnel's name.")
  String name;

  @Option(
      names = {"-f", "--format"},
      defaultValue = PeerConfigFile.PEER_YAML,
      description = "peer.yaml (default) or wg0.conf.")
  String format;

  @Option(
      names = {"-p", "--peer"},
      defaultValue = BackupPeerSpec.PRIMARY,
      description =
          "Which VPS: primary (spec.peer, the default) or the name of a spec.backupPeers entry,"
              + " whose config is in <name>-peer-config-<peer>.")
  String peer;

  @Option(
      names = {"-o", "--output"},
      description = "Write to this file (mode 0600: it may hold the far end's private key).")
  Path output;

  @Override
  public Integer call() throws IOException {
    KubeOptions kube = main.kube;
    String secretName = TunnelPeers.configSecretName(name, peer);
    try (KubernetesClient client = kube.client()) {
      Secret secret = client.secrets().inNamespace(kube.namespace()).withName(secretName).get();
      if (secret == null) {
        spec.commandLine()
            .getErr()
            .println(
                "error: no Secret "
                    + kube.namespace()
                    + "/"
                    + secretName
                    + ": is there a Tunnel "
                    + name
                    + (BackupPeerSpec.PRIMARY.equals(peer) ? "" : " with a backup peer " + peer)
                    + "? (kubectl tunnelier diagnose "
                    + name
                    + ")");
        return Main.EXIT_USAGE;
      }
      String content;
      try {
        content = PeerConfigFile.select(secretName, secret.getData(), format);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("error: " + e.getMessage());
        return Main.EXIT_USAGE;
      }
      if (output == null) {
        spec.commandLine().getOut().print(content);
        spec.commandLine().getOut().flush();
        return 0;
      }
      Files.deleteIfExists(output);
      Files.createFile(
          output,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(output, content, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
      spec.commandLine()
          .getErr()
          .println(
              "wrote " + output + " (" + format + " of " + kube.namespace() + "/" + name + ")");
      return 0;
    }
  }
}
