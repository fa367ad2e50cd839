package io.tunnelier.agent.kernel;

import io.tunnelier.agent.DaemonThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@link CommandRunner} through child processes, each bounded by one timeout that covers writing
 * standard input too (it is written on its own thread: a child that never reads it cannot block the
 * caller). A child past the timeout is killed; none is ever left running.
 */
public final class ProcessRunner implements CommandRunner {
  /** Pipe pumps: stdin writer and stdout/stderr readers, three per running command at most. */
  private static final ExecutorService PIPES =
      Executors.newCachedThreadPool(DaemonThreads.numbered("process-pipe"));

  private final Duration timeout;

  public ProcessRunner(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public Result run(List<String> command, String stdin) throws IOException {
    Process process = new ProcessBuilder(command).start();
    CompletableFuture<byte[]> out = drain(process.getInputStream());
    CompletableFuture<byte[]> err = drain(process.getErrorStream());
    feed(process.getOutputStream(), stdin);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new IOException(
            String.join(" ", command)
                + " did not finish within "
                + timeout
                + stderrSoFar(within(err, 1000)));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + String.join(" ", command), e);
    }
    return new Result(process.exitValue(), text(out.join()), text(err.join()));
  }

  private static byte[] within(CompletableFuture<byte[]> output, long millis) {
    try {
      return output.get(millis, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      return null;
    }
  }

  private static String stderrSoFar(byte[] err) {
    return err == null || err.length == 0 ? "" : ": " + text(err).strip();
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Writes stdin (if any) and closes it; a broken pipe (child exited or killed) ends it quietly.
   */
  private static void feed(OutputStream in, String stdin) throws IOException {
    if (stdin == null) {
      in.close();
      return;
    }
    byte[] bytes = stdin.getBytes(StandardCharsets.UTF_8);
    PIPES.execute(
        () -> {
          try (in) {
            in.write(bytes);
          } catch (IOException e) {
            // the child stopped reading: its exit code or the timeout says what happened
          }
        });
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
        },
        PIPES);
  }
}
