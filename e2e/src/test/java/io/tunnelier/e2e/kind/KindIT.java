package io.tunnelier.e2e.kind;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs e2e/kind/run.sh: the scenarios in two kind clusters. Where Docker or kind are missing the
 * script exits 3 and this test is skipped, printing the script's reason.
 */
class KindIT {
  private static final int CANNOT_RUN_HERE = 3;

  @Test
  void scenariosPassInKindClusters() throws Exception {
    Path root = Path.of(System.getProperty("tunnelier.repo.root", "..")).toAbsolutePath();
    File log = Files.createTempFile("tunnelier-kind-", ".log").toFile();
    Process run =
        new ProcessBuilder(root.resolve("e2e/kind/run.sh").toString())
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log)
            .start();
    if (!run.waitFor(40, TimeUnit.MINUTES)) {
      run.descendants().forEach(ProcessHandle::destroyForcibly);
      run.destroyForcibly();
      throw new AssertionError("e2e/kind/run.sh did not finish in 40 minutes; log: " + log);
    }
    String output = Files.readString(log.toPath());
    if (run.exitValue() == CANNOT_RUN_HERE) {
      String reason = output.strip().lines().reduce((a, b) -> b).orElse("no reason given");
      System.err.println(reason);
      Assumptions.abort(reason);
    }
    assertThat(run.exitValue()).as("e2e/kind/run.sh output:\n%s", output).isZero();
  }
}
