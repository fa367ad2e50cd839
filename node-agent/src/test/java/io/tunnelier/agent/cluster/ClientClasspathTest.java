package io.tunnelier.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.internal.BaseOperation;
import io.fabric8.kubernetes.client.http.HttpClient;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The agent's pom leaves most of fabric8's model jars out (the client loads every resource class it
 * finds). What it leaves out must be what the client never loads: this loads, links and initializes
 * every class of the client's jars on the agent's own classpath, and resolves their class-level
 * generic signatures, which reflection reads when the client lists (an informer's first list failed
 * on autoscaling's {@code Scale} that way).
 */
class ClientClasspathTest {
  @Test
  void everyClassOfTheClientLinksWithTheModelsTheAgentKeeps() throws Exception {
    List<String> missing = new ArrayList<>();
    int classes = 0;
    for (Class<?> inJar : List.of(KubernetesClient.class, BaseOperation.class, HttpClient.class)) {
      for (String name : classNames(jarOf(inJar))) {
        classes++;
        try {
          Class<?> c = Class.forName(name, true, getClass().getClassLoader());
          resolve(c.getGenericSuperclass());
          for (Type t : c.getGenericInterfaces()) {
            resolve(t);
          }
        } catch (LinkageError | TypeNotPresentException | ClassNotFoundException e) {
          String message = rootMessage(e);
          if (message.replace('/', '.').contains("io.fabric8.kubernetes.api.model")) {
            missing.add(name + ": " + message);
          }
        }
      }
    }
    assertThat(classes).as("classes of the client's jars").isGreaterThan(400);
    assertThat(missing).as("classes that need a model jar the agent's pom excludes").isEmpty();
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
    assertThat(
            getClass().getClassLoader().getResource("io/fabric8/kubernetes/api/model/gatewayapi"))
        .as("the Gateway API models are left out (the pom's exclusions)")
        .isNull();
  }

  private static void resolve(Type t) {
    if (t instanceof ParameterizedType p) {
      for (Type a : p.getActualTypeArguments()) {
        resolve(a);
      }
    } else if (t instanceof TypeVariable<?> v) {
      v.getBounds();
    } else if (t instanceof WildcardType w) {
      w.getUpperBounds();
      w.getLowerBounds();
    }
  }

  private static Path jarOf(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static TreeSet<String> classNames(Path jar) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (var e : Collections.list(zip.entries())) {
        String n = e.getName();
        if (n.endsWith(".class") && !n.startsWith("META-INF") && !n.endsWith("module-info.class")) {
          names.add(n.substring(0, n.length() - ".class".length()).replace('/', '.'));
        }
      }
    }
    return names;
  }

  private static String rootMessage(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null) {
      r = r.getCause();
    }
    return r.getClass().getSimpleName() + " " + r.getMessage();
  }
}
