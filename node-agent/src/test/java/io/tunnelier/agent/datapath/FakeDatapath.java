package io.tunnelier.agent.datapath;

import java.util.Map;

/**
 * A datapath that carries nothing: the device name and MTU of its config, fixed counters, and a
 * hook run on close (e.g. delete the fake kernel's link).
 */
public record FakeDatapath(String deviceName, int mtu, DatapathStats stats, Runnable onClose)
    implements Datapath {
  public static final DatapathStats NO_TRAFFIC =
      new DatapathStats(0, 0, 0, 0, Map.of(), null, null);

  public FakeDatapath(DatapathConfig config, DatapathStats stats, Runnable onClose) {
    this(config.deviceName(), config.mtu(), stats, onClose);
  }

  @Override
  public void close() {
    onClose.run();
  }
}
