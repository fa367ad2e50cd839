package io.tunnelier.agent.datapath.gre;

import java.io.IOException;
import java.util.List;

/**
 * Runs one {@code ip} (iproute2) command. The real one runs {@code ip} in the caller's network
 * namespace ({@link #local()}); tests bind it to a lab namespace or record commands in a fake.
 */
public interface IpCommand {
  /** What a finished command printed and returned. */
  record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs {@code ip <args>}. */
  Result run(List<String> args) throws IOException;

  /** Runs {@code ip <args>} and fails, quoting the command and its error, unless it succeeds. */
  default String runOk(List<String> args) throws IOException {
    Result r = run(args);
    if (!r.ok()) {
      throw new IOException("ip " + String.join(" ", args) + ": " + r.stderr().strip());
    }
    return r.stdout();
  }

  /** {@code ip} in this process's network namespace, or under a prefix such as netns exec. */
  static IpCommand local() {
    return prefixed(List.of());
  }

  /** {@code prefix... ip <args>}, e.g. {@code ip netns exec <ns>} for a lab namespace. */
  static IpCommand prefixed(List<String> prefix) {
    return args -> {
      List<String> argv = new java.util.ArrayList<>(prefix);
      argv.add("ip");
      argv.addAll(args);
      Process p = new ProcessBuilder(argv).start();
      try {
        var out =
            java.util.concurrent.CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        var err =
            java.util.concurrent.CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IOException(String.join(" ", argv) + ": no answer within 30 s");
        }
        return new Result(p.exitValue(), out.join(), err.join());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        throw new IOException("interrupted: " + String.join(" ", argv), e);
      }
    };
  }

  private static String drain(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
