package io.tunnelier.api.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * The operator's and the agents' log encoder (their {@code logback.xml}), one event per line in
 * either format, chosen by {@code <format>} ({@code $TUNNELIER_LOG_FORMAT}):
 *
 * <ul>
 *   <li>{@code text} (default): {@link Logfmt}, {@code ts=… level=… logger=… thread=… msg="…"},
 *       then the MDC, the event's key-values and {@code exception="…"} (the stack trace, escaped
 *       onto the line);
 *   <li>{@code json}: logback's {@link JsonEncoder} (key-values in {@code kvpList}, the message in
 *       {@code formattedMessage}), without the sequence number, nanoseconds and logger context.
 * </ul>
 *
 * An unknown format is reported on logback's status and falls back to text.
 */
public final class TunnelierLogEncoder extends EncoderBase<ILoggingEvent> {
  public static final String TEXT = "text";
  public static final String JSON = "json";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

  private String format = TEXT;
  private JsonEncoder json;

  public void setFormat(String format) {
    this.format = format == null ? "" : format.strip().toLowerCase(Locale.ROOT);
  }

  public String getFormat() {
    return format;
  }

  @Override
  public void start() {
    if (format.isEmpty()) {
      format = TEXT;
    }
    if (!format.equals(TEXT) && !format.equals(JSON)) {
      addWarn("unknown log format \"" + format + "\" (text or json): writing text");
      format = TEXT;
    }
    if (format.equals(JSON)) {
      json = new JsonEncoder();
      json.setContext(getContext());
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.setWithArguments(false);
      json.setWithMessage(false);
      json.setWithFormattedMessage(true);
      json.start();
    }
    super.start();
  }

  @Override
  public void stop() {
    if (json != null) {
      json.stop();
    }
    super.stop();
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    if (json != null) {
      return json.encode(event);
    }
    return (text(event) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The text line of {@code event}, without its line break. */
  public static String text(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(160);
    Logfmt.append(line, "ts", TIME.format(Instant.ofEpochMilli(event.getTimeStamp())));
    Logfmt.append(line, "level", event.getLevel());
    String logger = event.getLoggerName();
    Logfmt.append(line, "logger", logger.substring(logger.lastIndexOf('.') + 1));
    Logfmt.append(line, "thread", event.getThreadName());
    Logfmt.appendQuoted(line, "msg", event.getFormattedMessage());
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      mdc.forEach((k, v) -> Logfmt.append(line, k, v));
    }
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        Logfmt.append(line, kv.key, kv.value);
      }
    }
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      Logfmt.append(line, "exception", ThrowableProxyUtil.asString(thrown).strip());
    }
    return line.toString();
  }
}
