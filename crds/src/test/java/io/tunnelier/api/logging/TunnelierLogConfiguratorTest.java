package io.tunnelier.api.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class TunnelierLogConfiguratorTest {
  /** A component's settings, as the agent's jar has them. */
  private static Properties agentSettings() {
    Properties p = new Properties();
    p.setProperty("target", "System.err");
    p.setProperty("logger.io.fabric8", "WARN");
    return p;
  }

  private static LoggerContext configured(Map<String, String> environment) {
    return configured(environment, agentSettings());
  }

  private static LoggerContext configured(Map<String, String> environment, Properties settings) {
    LoggerContext context = new LoggerContext();
    new TunnelierLogConfigurator(environment::get).apply(context, settings);
    return context;
  }

  private static List<Appender<ILoggingEvent>> appenders(LoggerContext context) {
    List<Appender<ILoggingEvent>> out = new ArrayList<>();
    context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(out::add);
    return out;
  }

  private static TunnelierLogEncoder encoder(LoggerContext context) {
    ConsoleAppender<ILoggingEvent> console =
        (ConsoleAppender<ILoggingEvent>) appenders(context).get(0);
    return (TunnelierLogEncoder) console.getEncoder();
  }

  @Test
  void withoutVariablesTextAtInfoOnTheComponentsStream() {
    LoggerContext context = configured(Map.of());

    assertThat(appenders(context)).hasSize(1);
    ConsoleAppender<ILoggingEvent> console =
        (ConsoleAppender<ILoggingEvent>) appenders(context).get(0);
    assertThat(console.isStarted()).isTrue();
    assertThat(console.getTarget()).isEqualTo("System.err");
    assertThat(encoder(context).getFormat()).isEqualTo(TunnelierLogEncoder.TEXT);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("io.fabric8").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.tunnelier.agent").getEffectiveLevel()).isEqualTo(Level.INFO);
  }

  @Test
  void formatAndLevelFromTheEnvironment() {
    LoggerContext context =
        configured(
            Map.of(
                TunnelierLogConfigurator.FORMAT_VARIABLE, "JSON",
                TunnelierLogConfigurator.LEVEL_VARIABLE, " debug "));

    assertThat(encoder(context).getFormat()).isEqualTo(TunnelierLogEncoder.JSON);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
    // the component's own levels stay whatever the root's
    assertThat(context.getLogger("io.fabric8").getLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void anUnknownLevelIsReportedAndInfoKept() {
    LoggerContext context = configured(Map.of(TunnelierLogConfigurator.LEVEL_VARIABLE, "verbose"));

    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .anySatisfy(
            s -> {
              assertThat(s.getLevel()).isEqualTo(Status.WARN);
              assertThat(s.getMessage())
                  .contains("TUNNELIER_LOG_LEVEL=\"verbose\" is not a level")
                  .contains("logging at INFO");
            });
  }

  @Test
  void theComponentsStreamAndLoggerLevelsFromItsSettings() {
    Properties operator = new Properties();
    operator.setProperty("target", "System.out");
    operator.setProperty("logger.io.javaoperatorsdk", "INFO");
    operator.setProperty("logger.io.fabric8", "warn");
    operator.setProperty("logger.io.tunnelier.noisy", "loud");

    LoggerContext context =
        configured(Map.of(TunnelierLogConfigurator.LEVEL_VARIABLE, "ERROR"), operator);

    ConsoleAppender<ILoggingEvent> console =
        (ConsoleAppender<ILoggingEvent>) appenders(context).get(0);
    assertThat(console.getTarget()).isEqualTo("System.out");
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.ERROR);
    assertThat(context.getLogger("io.javaoperatorsdk").getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("io.fabric8").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.tunnelier.noisy").getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .anySatisfy(s -> assertThat(s.getMessage()).contains("logger.io.tunnelier.noisy=\"loud\""));
  }

  @Test
  void anUnknownFormatFallsBackToText() {
    LoggerContext context = configured(Map.of(TunnelierLogConfigurator.FORMAT_VARIABLE, "yaml"));

    assertThat(encoder(context).getFormat()).isEqualTo(TunnelierLogEncoder.TEXT);
  }

  @Test
  void stepsAsideForALogbackFileOnTheClassPath() {
    // This module's test resources have a logback-test.xml, as the e2e module's do.
    LoggerContext context = new LoggerContext();

    ExecutionStatus status =
        new TunnelierLogConfigurator(Map.<String, String>of()::get).configure(context);

    assertThat(status).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(appenders(context)).isEmpty();
  }
}
