package io.tunnelier.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.internal.BaseOperation;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.tunnelier.api.classpath.ModelLinkage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent's pom leaves most of fabric8's model jars out (the client loads every resource class it
 * finds). What it leaves out must be what the client never loads: every class of the client's jars
 * links on the agent's own classpath ({@link ModelLinkage}).
 */
class ClientClasspathTest {
  @Test
  void everyClassOfTheClientLinksWithTheModelsTheAgentKeeps() throws Exception {
    ModelLinkage.Result result =
        ModelLinkage.check(
            getClass().getClassLoader(),
            List.of(KubernetesClient.class, BaseOperation.class, JdkHttpClientFactory.class));
    assertThat(result.classes()).as("classes of the client's jars").isGreaterThan(400);
    assertThat(result.missing())
        .as("classes that need a model jar the agent's pom excludes")
        .isEmpty();
  }

  @Test
  void theClientStartsAndTheModelsLeftOutAreNotOnTheClasspath() {
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder()
                    .withMasterUrl("https://192.0.2.1:6443")
                    .withAutoConfigure(false)
                    .build())
            .build()) {
      assertThat(client.leases()).isNotNull();
    }
    assertThat(ModelLinkage.hasGroup(getClass().getClassLoader(), "gatewayapi"))
        .as("the Gateway API models are left out (the pom's exclusions)")
        .isFalse();
  }
}
