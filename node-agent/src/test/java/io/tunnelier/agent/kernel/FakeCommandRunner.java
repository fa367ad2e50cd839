package io.tunnelier.agent.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link CommandRunner} for unit tests: records each command line (argv joined by spaces) and
 * answers it, failing the ones that contain the text set with {@link #failOn} with that error
 * output, as the real tool would. A {@code -batch -} prints the answer once per command on its
 * standard input, as {@code ip -j -batch -} prints one JSON array per command.
 */
public final class FakeCommandRunner implements CommandRunner {
  private final List<String> lines = new ArrayList<>();
  private String failOn;
  private String failure = "";
  private String stdout = "";

  @Override
  public synchronized Result run(List<String> command, String stdin) {
    String line = String.join(" ", command);
    lines.add(line);
    if (failOn != null && line.contains(failOn)) {
      return new Result(2, "", failure);
    }
    if (command.contains("-batch") && stdin != null) {
      long commands = stdin.lines().filter(l -> !l.isBlank()).count();
      return new Result(0, stdout.repeat((int) commands), "");
    }
    return new Result(0, stdout, "");
  }

  /** Commands containing {@code text} exit 2 with {@code stderr} from now on. */
  public synchronized void failOn(String text, String stderr) {
    this.failOn = text;
    this.failure = stderr;
  }

  /** What successful commands print from now on. */
  public synchronized void answer(String stdout) {
    this.stdout = stdout;
  }

  /** Every command line run so far, in order. */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }
}
