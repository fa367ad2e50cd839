package io.tunnelier.agent.standalone;

import io.tunnelier.agent.kernel.Underlay;
import io.tunnelier.agent.loop.PlanSource;
import io.tunnelier.agent.loop.Plans;
import io.tunnelier.agent.plan.Capabilities;
import io.tunnelier.agent.plan.StandalonePlanner;
import io.tunnelier.api.peerconfig.InvalidStandaloneConfigException;
import io.tunnelier.api.peerconfig.StandaloneConfig;
import io.tunnelier.api.peerconfig.StandaloneConfigParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone config file as a plan source. It is re-read when it changes (its modification
 * time) or on {@link #reload()} (SIGHUP). A bad file at start is fatal ({@link #load()} throws,
 * naming the field); a bad file later is logged and the last good config stays in force, so a typo
 * never half-applies or tears down a working tunnel.
 */
public final class StandaloneConfigSource implements PlanSource {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneConfigSource.class);
  private final Path file;
  private final Capabilities capabilities;
  private StandaloneConfig config;
  private FileTime loadedAt;
  private volatile boolean reloadRequested;

  public StandaloneConfigSource(Path file, Capabilities capabilities) {
    this.file = file;
    this.capabilities = capabilities;
  }

  /** Reads and validates the file; throws with every problem listed by field. */
  public static StandaloneConfig read(Path file)
      throws IOException, InvalidStandaloneConfigException {
    return StandaloneConfigParser.parse(Files.readString(file), file.toString());
  }

  public synchronized void load() throws IOException, InvalidStandaloneConfigException {
    FileTime mtime = Files.getLastModifiedTime(file);
    config = read(file);
    loadedAt = mtime;
    LOG.atInfo()
        .setMessage("loaded standalone config")
        .addKeyValue("file", file)
        .addKeyValue("tunnels", config.getTunnels())
        .log();
  }

  public void reload() {
    reloadRequested = true;
  }

  /** Whether the file changed since it was loaded (cheap: one stat). */
  public boolean changed() {
    try {
      return !Files.getLastModifiedTime(file).equals(loadedAt);
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public synchronized Plans plans(Underlay underlay) {
    if (reloadRequested || changed()) {
      reloadRequested = false;
      try {
        load();
      } catch (IOException | InvalidStandaloneConfigException e) {
        LOG.atError()
            .setMessage("config not reloaded; keeping the last good one")
            .addKeyValue("error", e.getMessage())
            .log();
        try {
          loadedAt = Files.getLastModifiedTime(file); // do not retry until it changes again
        } catch (IOException ignored) {
          // keep the old time
        }
      }
    }
    return new Plans(StandalonePlanner.plan(config, underlay, capabilities), Set.of());
  }
}
