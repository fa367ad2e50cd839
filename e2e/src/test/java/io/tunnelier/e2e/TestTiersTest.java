package io.tunnelier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Enforces the test tiers across the repository: a test class is either a unit test ({@code *Test}:
 * no root, no network, no processes) or a real-component test ({@code *IT}), and a class with tests
 * under any other name would silently never run.
 */
class TestTiersTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Pattern HAS_TESTS =
      Pattern.compile("@(Test|ParameterizedTest|RepeatedTest|TestFactory|FuzzTest)\\b");

  /** What only real-component tests may use. */
  private static final List<String> REAL_COMPONENTS =
      List.of(
          "Lab.create(",
          "Lab.assumeAvailable(",
          "ControlPlaneExtension",
          "new ProcessBuilder(",
          "Runtime.getRuntime().exec(",
          "Exec.run(",
          "DatagramChannel.open(",
          "new DatagramSocket(",
          "new Socket(",
          "/dev/net/tun");

  @Test
  void everyTestClassIsNamedForItsTier() {
    List<String> misnamed = new ArrayList<>();
    for (Path file : testSources()) {
      String name = file.getFileName().toString();
      if (HAS_TESTS.matcher(read(file)).find()
          && !name.endsWith("Test.java")
          && !name.endsWith("IT.java")) {
        misnamed.add(ROOT.relativize(file).toString());
      }
    }
    assertThat(misnamed)
        .as(
            "classes with tests must end in Test (unit) or IT (real components), else they never run")
        .isEmpty();
  }

  @Test
  void unitTestsUseNoRealComponents() {
    List<String> offenders = new ArrayList<>();
    for (Path file : testSources()) {
      if (!file.getFileName().toString().endsWith("Test.java")
          || file.getFileName().toString().equals("TestTiersTest.java")) {
        continue;
      }
      String source = read(file);
      for (String marker : REAL_COMPONENTS) {
        if (source.contains(marker)) {
          offenders.add(ROOT.relativize(file) + " uses " + marker);
        }
      }
    }
    assertThat(offenders)
        .as("*Test classes are unit tests: move real-component tests to a class named *IT")
        .isEmpty();
  }

  private static List<Path> testSources() {
    List<Path> files = new ArrayList<>();
    for (String module : List.of("crds", "node-agent", "operator", "cli", "e2e")) {
      Path dir = ROOT.resolve(module).resolve("src/test/java");
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.filter(f -> f.toString().endsWith(".java")).forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    assertThat(files).as("test sources found under %s", ROOT).isNotEmpty();
    return files;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
