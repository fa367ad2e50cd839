package io.tunnelier.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin chained into (and out of) a node's CNI configuration, in a temporary directory. */
class CniChainTest {
  static final String FLANNEL =
      """
      {
        "name": "cbr0",
        "cniVersion": "0.3.1",
        "plugins": [
          {"type": "flannel", "delegate": {"hairpinMode": true, "isDefaultGateway": true}},
          {"type": "portmap", "capabilities": {"portMappings": true}}
        ]
      }
      """;
  static final Path GUARD = Path.of("/var/lib/tunnelier/cni/guarded-namespaces");

  @TempDir Path root;
  Path bin;
  Path conf;
  Path plugin;
  CniChain chain;

  @BeforeEach
  void node() throws IOException {
    bin = Files.createDirectories(root.resolve("opt/cni/bin"));
    conf = Files.createDirectories(root.resolve("etc/cni/net.d"));
    plugin = root.resolve("image/tunnelier-cni");
    Files.createDirectories(plugin.getParent());
    Files.writeString(plugin, "#!plugin v1");
    chain = new CniChain(plugin, bin, conf, GUARD);
  }

  List<String> types(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode p : new ObjectMapper().readTree(file.toFile()).path("plugins")) {
      out.add(p.path("type").asText());
    }
    return out;
  }

  @Test
  void chainsLastInTheFileTheRuntimeUsesAndInstallsTheBinary() throws Exception {
    Files.writeString(conf.resolve("10-flannel.conflist"), FLANNEL);
    Files.writeString(conf.resolve("99-other.conflist"), FLANNEL);

    assertThat(chain.chain()).isTrue();

    Path used = conf.resolve("10-flannel.conflist");
    assertThat(types(used)).containsExactly("flannel", "portmap", "tunnelier-cni");
    JsonNode ours = new ObjectMapper().readTree(used.toFile()).path("plugins").get(2);
    assertThat(ours.path("guardedNamespacesFile").asText()).isEqualTo(GUARD.toString());
    assertThat(new ObjectMapper().readTree(used.toFile()).path("plugins").get(0).path("delegate"))
        .as("the other plugins' entries as they were")
        .hasToString("{\"hairpinMode\":true,\"isDefaultGateway\":true}");
    assertThat(types(conf.resolve("99-other.conflist"))).containsExactly("flannel", "portmap");
    assertThat(Files.readString(bin.resolve("tunnelier-cni"))).isEqualTo("#!plugin v1");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(bin.resolve("tunnelier-cni"))))
        .isEqualTo("rwxr-xr-x");
    try (var files = Files.list(conf)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temporary file left where the runtime looks")
          .containsExactlyInAnyOrder("10-flannel.conflist", "99-other.conflist");
    }
  }

  @Test
  void aSecondPassChangesNothingAndARewrittenFileIsChainedAgain() throws Exception {
    Path used = conf.resolve("10-flannel.conflist");
    Files.writeString(used, FLANNEL);
    chain.chain();

    assertThat(chain.chain()).isFalse();

    Files.writeString(used, FLANNEL); // flannel's pod restarted and copied its file again
    Files.writeString(plugin, "#!plugin v2"); // a new agent image
    assertThat(chain.chain()).isTrue();
    assertThat(types(used)).containsExactly("flannel", "portmap", "tunnelier-cni");
    assertThat(Files.readString(bin.resolve("tunnelier-cni"))).isEqualTo("#!plugin v2");
  }

  @Test
  void anEntryNotLastOrWithAnotherFileIsReplaced() throws Exception {
    Path used = conf.resolve("10-flannel.conflist");
    Files.writeString(
        used,
        FLANNEL.replace(
            "{\"type\": \"portmap\"",
            "{\"type\": \"tunnelier-cni\", \"guardedNamespacesFile\": \"/old\"},\n{\"type\": \"portmap\""));

    assertThat(chain.chain()).isTrue();

    assertThat(types(used)).containsExactly("flannel", "portmap", "tunnelier-cni");
  }

  @Test
  void withoutAConfigurationOrWithASinglePluginOneItSaysWhy() throws Exception {
    assertThatThrownBy(chain::chain).hasMessageContaining("no CNI configuration in " + conf);

    Files.writeString(
        conf.resolve("10-bridge.conf"), "{\"cniVersion\":\"0.4.0\",\"type\":\"bridge\"}");
    assertThatThrownBy(chain::chain)
        .hasMessageContaining("10-bridge.conf is a single-plugin configuration");
  }

  @Test
  void unchainTakesTheEntryOutThenTheBinary() throws Exception {
    Path used = conf.resolve("10-flannel.conflist");
    Files.writeString(used, FLANNEL);
    chain.chain();

    assertThat(chain.unchain()).isTrue();

    assertThat(types(used)).containsExactly("flannel", "portmap");
    assertThat(bin.resolve("tunnelier-cni")).doesNotExist();
    assertThat(chain.unchain()).isFalse();
  }
}
