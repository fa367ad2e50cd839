package io.tunnelier.api.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * The operator's and the agents' logging, set up in code rather than from a {@code logback.xml}:
 * one {@link ConsoleAppender} with {@link TunnelierLogEncoder}, its format from {@code
 * TUNNELIER_LOG_FORMAT}, the root level from {@code TUNNELIER_LOG_LEVEL} (INFO by default). Reading
 * an XML file cost each JVM about 480 classes (logback's Joran and the JDK's XML parser) and 2.5 MB
 * of metaspace, for those few settings.
 *
 * <p>Each process's jar names this class in {@code
 * META-INF/services/ch.qos.logback.classic.spi.Configurator} and says in {@value #SETTINGS} which
 * stream it writes ({@code target=System.out} or {@code System.err}) and its own logger levels
 * ({@code logger.io.fabric8=WARN}). It steps aside, and logback reads files as it would without it,
 * when the user names one ({@code -Dlogback.configurationFile}) or one is on the class path ({@code
 * logback-test.xml} in tests, a {@code logback.xml} added to the image).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class TunnelierLogConfigurator extends ContextAwareBase implements Configurator {
  public static final String FORMAT_VARIABLE = "TUNNELIER_LOG_FORMAT";
  public static final String LEVEL_VARIABLE = "TUNNELIER_LOG_LEVEL";

  /** The component's settings, a properties resource at the root of its jar. */
  public static final String SETTINGS = "tunnelier-logging.properties";

  /** System property with which the user names a configuration file of their own. */
  static final String FILE_PROPERTY = "logback.configurationFile";

  private static final String LOGGER_PREFIX = "logger.";

  private final UnaryOperator<String> environment;

  public TunnelierLogConfigurator() {
    this(System::getenv);
  }

  TunnelierLogConfigurator(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ClassLoader loader = getClass().getClassLoader();
    if (System.getProperty(FILE_PROPERTY) != null
        || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    setContext(context);
    Properties settings = new Properties();
    try (InputStream in = loader.getResourceAsStream(SETTINGS)) {
      if (in == null) {
        addWarn(SETTINGS + " is not on the class path: logging to System.err");
      } else {
        settings.load(in);
      }
    } catch (IOException e) {
      addWarn("reading " + SETTINGS + " failed: logging to System.err", e);
    }
    apply(context, settings);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Sets up {@code context} from {@code settings} and the environment, whatever files exist. */
  void apply(LoggerContext context, Properties settings) {
    setContext(context);
    TunnelierLogEncoder encoder = new TunnelierLogEncoder();
    encoder.setContext(context);
    encoder.setFormat(environment.apply(FORMAT_VARIABLE));
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("console");
    appender.setTarget(settings.getProperty("target", "System.err"));
    appender.setEncoder(encoder);
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level(LEVEL_VARIABLE, environment.apply(LEVEL_VARIABLE)));
    root.addAppender(appender);
    loggerLevels(settings).forEach((name, level) -> context.getLogger(name).setLevel(level));
  }

  /** {@code logger.<name>=<level>} entries, in a stable order. */
  private Map<String, Level> loggerLevels(Properties settings) {
    Map<String, Level> out = new LinkedHashMap<>();
    for (String key : new java.util.TreeSet<>(settings.stringPropertyNames())) {
      if (key.startsWith(LOGGER_PREFIX) && key.length() > LOGGER_PREFIX.length()) {
        out.put(key.substring(LOGGER_PREFIX.length()), level(key, settings.getProperty(key)));
      }
    }
    return out;
  }

  /** {@code text} as a level; INFO when unset, and INFO with a warning when not a level. */
  private Level level(String setting, String text) {
    if (text == null || text.isBlank()) {
      return Level.INFO;
    }
    Level level = Level.toLevel(text.strip().toUpperCase(Locale.ROOT), null);
    if (level == null) {
      addWarn(
          setting
              + "=\""
              + text
              + "\" is not a level (TRACE, DEBUG, INFO, WARN, ERROR, OFF): logging at INFO");
      return Level.INFO;
    }
    return level;
  }
}
