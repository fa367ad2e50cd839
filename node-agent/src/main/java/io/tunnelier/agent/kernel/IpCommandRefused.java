package io.tunnelier.agent.kernel;

import java.io.IOException;

/**
 * {@link IpRoute#apply} stopped at a command the kernel refused: the commands before it were
 * applied, it and those after it were not.
 */
public final class IpCommandRefused extends IOException {
  private final int index;

  /**
   * @param index the refused command's position in the list given to {@link IpRoute#apply}
   * @param message what the tool said, with the refused command
   */
  public IpCommandRefused(int index, String message) {
    super(message);
    this.index = index;
  }

  public int index() {
    return index;
  }
}
