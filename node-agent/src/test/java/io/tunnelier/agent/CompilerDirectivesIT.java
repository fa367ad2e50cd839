package io.tunnelier.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.net.Checksum;
import io.tunnelier.agent.kernel.CommandRunner;
import io.tunnelier.agent.kernel.ProcessRunner;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The image's compiler directives (src/main/jvm/compiler-directives.json, the node-agent
 * Dockerfile's {@code -XX:CompilerDirectivesFile}) in a JVM with the image's flags: the file
 * parses, a datapath method is compiled by C2 (level 4) and any other code only by C1 (level 1,
 * never 4). A JVM that cannot read the file does not start, so a broken file would fail every
 * agent.
 */
class CompilerDirectivesIT {
  /** Run in its own JVM: one datapath method and one of the control plane's, both hot. */
  public static final class HotMethods {
    public static void main(String[] args) {
      ByteBuffer packet = ByteBuffer.allocateDirect(1500);
      long sum = 0;
      for (int i = 0; i < 100_000; i++) {
        packet.put(i % 64, (byte) i);
        sum += Checksum.add(0, packet, 0, 64);
        sum += controlPlane(i);
      }
      System.out.println("sum " + sum);
    }

    static long controlPlane(int i) {
      return Integer.toString(i).hashCode();
    }
  }

  @Test
  void c2CompilesTheDatapathAndC1TheRest() throws Exception {
    List<String> flags = ImageJvmFlags.read();
    assertThat(flags)
        .contains("-XX:CompilerDirectivesFile=" + ImageJvmFlags.DIRECTIVES.toAbsolutePath());
    List<String> argv =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    argv.addAll(flags);
    // Compiles block the caller: every level is reached before main returns.
    argv.addAll(
        List.of(
            "-Xbatch",
            "-XX:+PrintCompilation",
            "-cp",
            System.getProperty("java.class.path"),
            HotMethods.class.getName()));
    CommandRunner.Result r = new ProcessRunner(Duration.ofMinutes(2)).run(argv);

    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
    assertThat(r.stdout()).contains("2 compiler directives added").contains("sum ");
    String checksum = Checksum.class.getName() + "::add";
    String other = HotMethods.class.getName() + "::controlPlane";
    assertThat(levels(r.stdout(), checksum)).as(checksum).contains("4");
    assertThat(levels(r.stdout(), other)).as(other).contains("1").doesNotContain("4");
    assertThat(r.stdout()).contains("made not compilable on level 4  " + other);
  }

  /** The levels {@code method} was compiled at, from -XX:+PrintCompilation's lines. */
  static List<String> levels(String printCompilation, String method) {
    List<String> levels = new ArrayList<>();
    for (String line : printCompilation.split("\n")) {
      List<String> tokens = Arrays.asList(line.strip().split("\\s+"));
      int at = tokens.indexOf(method);
      // "timestamp id [attributes] level method (size)"; not "made not compilable ... method".
      if (at > 2 && tokens.get(0).matches("\\d+") && tokens.get(at - 1).matches("[0-4]")) {
        levels.add(tokens.get(at - 1));
      }
    }
    return levels;
  }
}
