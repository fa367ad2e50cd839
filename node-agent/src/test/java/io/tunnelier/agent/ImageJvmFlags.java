package io.tunnelier.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code -XX} flags of an image's ENTRYPOINT, read from its Dockerfile so that tests and the
 * benchmark running a JVM "as the image does" follow them (the node agent's and the operator's);
 * the image's path of the compiler directives becomes the checkout's file it is copied from.
 */
public final class ImageJvmFlags {
  static final Path DOCKERFILE = Path.of("Dockerfile");
  static final String IMAGE_DIRECTIVES = "/opt/tunnelier/compiler-directives.json";
  static final Path DIRECTIVES = Path.of("src/main/jvm/compiler-directives.json");

  private ImageJvmFlags() {}

  /** The node-agent image's flags, from a test of the node-agent module (its directory). */
  static List<String> read() throws IOException {
    return read(DOCKERFILE, DIRECTIVES.toAbsolutePath());
  }

  /**
   * Runs {@code main} of this test classpath in a JVM with the node-agent image's flags under the
   * chart's 512Mi limit (MaxRAM, as a container's limit sets it) and returns its output; throws
   * when it does not end within a minute or exits non-zero.
   */
  static String runMain(Class<?> main) throws IOException, InterruptedException {
    List<String> argv =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxRAM=512m"));
    argv.addAll(read());
    argv.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException(main.getSimpleName() + " did not end within a minute");
      }
      String out = new String(p.getInputStream().readAllBytes());
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            main.getSimpleName() + " exited " + p.exitValue() + ":\n" + out);
      }
      return out;
    } finally {
      p.destroyForcibly();
    }
  }

  /** The node-agent image's flags, from the checkout at {@code repoRoot}. */
  public static List<String> nodeAgent(Path repoRoot) {
    Path module = repoRoot.resolve("node-agent");
    return readUnchecked(module.resolve(DOCKERFILE), module.resolve(DIRECTIVES));
  }

  /** The operator image's flags, from the checkout at {@code repoRoot}. */
  public static List<String> operator(Path repoRoot) {
    return readUnchecked(repoRoot.resolve("operator").resolve(DOCKERFILE), null);
  }

  private static List<String> readUnchecked(Path dockerfile, Path directives) {
    try {
      return read(dockerfile, directives);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> read(Path dockerfilePath, Path directives) throws IOException {
    String dockerfile = Files.readString(dockerfilePath);
    String entrypoint = dockerfile.substring(dockerfile.indexOf("ENTRYPOINT ["));
    entrypoint = entrypoint.substring(0, entrypoint.indexOf(']'));
    if (entrypoint.contains(IMAGE_DIRECTIVES)
        && !dockerfile.contains(
            "COPY node-agent/"
                + DIRECTIVES.toString().replace('\\', '/')
                + " "
                + IMAGE_DIRECTIVES)) {
      throw new IllegalStateException(dockerfilePath + " no longer copies " + DIRECTIVES);
    }
    List<String> flags = new ArrayList<>();
    Matcher m = Pattern.compile("\"(-XX:[^\"]+)\"").matcher(entrypoint);
    while (m.find()) {
      String flag = m.group(1);
      flags.add(directives == null ? flag : flag.replace(IMAGE_DIRECTIVES, directives.toString()));
    }
    if (flags.isEmpty()) {
      throw new IllegalStateException(dockerfilePath + "'s ENTRYPOINT names no -XX flags");
    }
    return List.copyOf(flags);
  }
}
