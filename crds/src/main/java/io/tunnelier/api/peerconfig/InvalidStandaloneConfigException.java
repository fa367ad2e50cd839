package io.tunnelier.api.peerconfig;

import java.util.List;

/**
 * A standalone config that cannot be used. The message lists every problem, each starting with the
 * path of the field it is about (e.g. {@code tunnels[0].address}); values of secret fields are
 * never included.
 */
public class InvalidStandaloneConfigException extends Exception {
  private final List<String> problems;

  public InvalidStandaloneConfigException(String source, List<String> problems) {
    super("invalid standalone config " + source + ":\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem, each naming its field. */
  public List<String> problems() {
    return problems;
  }
}
