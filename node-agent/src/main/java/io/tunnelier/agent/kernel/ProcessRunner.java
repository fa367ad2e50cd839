package io.tunnelier.agent.kernel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@code ip}/{@code nft} with a time bound; never leaves a child running. */
public final class ProcessRunner {
  /** What a finished command printed and returned. */
  public record Result(int exitCode, String stdout, String stderr) {}

  private final Duration timeout;

  public ProcessRunner(Duration timeout) {
    this.timeout = timeout;
  }

  public Result run(List<String> command, String stdin) throws IOException {
    Process process = new ProcessBuilder(command).start();
    CompletableFuture<byte[]> out = drain(process.getInputStream());
    CompletableFuture<byte[]> err = drain(process.getErrorStream());
    try (var in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + String.join(" ", command), e);
    }
    return new Result(
        process.exitValue(),
        new String(out.join(), StandardCharsets.UTF_8),
        new String(err.join(), StandardCharsets.UTF_8));
  }

  /** Runs and throws with the command's own error output unless it exits 0. */
  public String runOk(List<String> command, String stdin) throws IOException {
    Result r = run(command, stdin);
    if (r.exitCode() != 0) {
      throw new IOException(
          String.join(" ", command) + " exited " + r.exitCode() + ": " + r.stderr().strip());
    }
    return r.stdout();
  }

  private static CompletableFuture<byte[]> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            stream.transferTo(buffer);
            return buffer.toByteArray();
          } catch (IOException e) {
            return new byte[0];
          }
        });
  }
}
