package io.tunnelier.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code -XX} flags of the node-agent image's ENTRYPOINT, read from its Dockerfile so that
 * tests running a JVM "as the image does" follow them; the image's path of the compiler directives
 * becomes the checkout's file it is copied from.
 */
final class ImageJvmFlags {
  static final Path DOCKERFILE = Path.of("Dockerfile");
  static final String IMAGE_DIRECTIVES = "/opt/tunnelier/compiler-directives.json";
  static final Path DIRECTIVES = Path.of("src/main/jvm/compiler-directives.json");

  private ImageJvmFlags() {}

  static List<String> read() throws IOException {
    String dockerfile = Files.readString(DOCKERFILE);
    if (!dockerfile.contains(
        "COPY node-agent/" + DIRECTIVES.toString().replace('\\', '/') + " " + IMAGE_DIRECTIVES)) {
      throw new IllegalStateException("the Dockerfile no longer copies " + DIRECTIVES);
    }
    String entrypoint = dockerfile.substring(dockerfile.indexOf("ENTRYPOINT ["));
    entrypoint = entrypoint.substring(0, entrypoint.indexOf(']'));
    List<String> flags = new ArrayList<>();
    Matcher m = Pattern.compile("\"(-XX:[^\"]+)\"").matcher(entrypoint);
    while (m.find()) {
      flags.add(m.group(1).replace(IMAGE_DIRECTIVES, DIRECTIVES.toAbsolutePath().toString()));
    }
    return flags;
  }
}
