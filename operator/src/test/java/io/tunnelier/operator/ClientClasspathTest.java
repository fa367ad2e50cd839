package io.tunnelier.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.internal.BaseOperation;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.config.runtime.DefaultConfigurationService;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.tunnelier.api.classpath.ModelLinkage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator's pom leaves out the fabric8 model jars of the API groups it never uses (the client
 * loads every resource class it finds). What it leaves out must be what neither the client nor
 * JOSDK loads: every class of their jars links on the operator's own classpath, and every model
 * class JOSDK's bytecode names is there ({@link ModelLinkage}).
 */
class ClientClasspathTest {
  @Test
  void everyClassOfTheClientAndJosdkLinksWithTheModelsTheOperatorKeeps() throws Exception {
    ModelLinkage.Result result =
        ModelLinkage.check(
            getClass().getClassLoader(),
            List.of(
                KubernetesClient.class,
                BaseOperation.class,
                JdkHttpClientFactory.class,
                Operator.class,
                DefaultConfigurationService.class,
                MicrometerMetrics.class));
    assertThat(result.classes()).as("classes of the client's and JOSDK's jars").isGreaterThan(700);
    assertThat(result.missing())
        .as("classes that need a model jar the operator's pom excludes")
        .isEmpty();
  }

  @Test
  void everyModelClassJosdkNamesIsOnTheClasspath() throws Exception {
    assertThat(
            ModelLinkage.missingReferences(
                getClass().getClassLoader(),
                List.of(
                    Operator.class, DefaultConfigurationService.class, MicrometerMetrics.class)))
        .as("model classes JOSDK's bytecode names that the operator's pom excludes")
        .isEmpty();
  }

  @Test
  void theModelsLeftOutAreNotOnTheClasspath() {
    ClassLoader loader = getClass().getClassLoader();
    assertThat(ModelLinkage.hasGroup(loader, "gatewayapi")).as("Gateway API").isFalse();
    assertThat(ModelLinkage.hasGroup(loader, "rbac")).as("RBAC").isFalse();
    assertThat(ModelLinkage.hasGroup(loader, "apiextensions"))
        .as("apiextensions, which JOSDK's CRD checks name, is kept")
        .isTrue();
    assertThat(ModelLinkage.hasGroup(loader, "authorization"))
        .as("authorization (in the admissionregistration jar), which JOSDK's leader election names")
        .isTrue();
  }
}
