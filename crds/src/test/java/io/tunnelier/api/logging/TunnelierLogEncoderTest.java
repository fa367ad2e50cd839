package io.tunnelier.api.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class TunnelierLogEncoderTest {
  /** Every character that broke the hand-built logfmt: quotes, spaces, line breaks, =, \. */
  private static final String AWKWARD = "say \"hi\" a=b\nnext line\r\tc:\\d\\\" \u0001 é\u2028end";

  private static LoggingEvent event(String message, Throwable thrown) {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    context.getMDCAdapter().put("resource.name", "egress nyc");
    Logger logger = context.getLogger("io.tunnelier.agent.tunnel.OpenDatapaths");
    LoggingEvent e = new LoggingEvent("fqcn", logger, Level.WARN, message, thrown, null);
    e.setTimeStamp(1_700_000_000_123L);
    e.setKeyValuePairs(
        new ArrayList<>(
            List.of(
                new KeyValuePair("tunnel", "scraping/egress-nyc"),
                new KeyValuePair("error", AWKWARD),
                new KeyValuePair("empty", ""),
                new KeyValuePair("mtu", 1420))));
    return e;
  }

  private static String encode(String format, LoggingEvent event) {
    TunnelierLogEncoder encoder = new TunnelierLogEncoder();
    encoder.setContext(new LoggerContext());
    encoder.setFormat(format);
    encoder.start();
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void textIsOneLineThatParsesBack() {
    String out =
        encode(
            "text",
            event("closing \"datapath\" = done\\", new IllegalStateException("boom\n\"x\"")));

    assertThat(out).endsWith("\n");
    String line = out.substring(0, out.length() - 1);
    assertThat(line).doesNotContain("\n", "\r", "\u2028", "\u0001");
    assertThat(line)
        .startsWith("ts=2023-11-14T22:13:20.123Z level=WARN logger=OpenDatapaths thread=")
        .contains(" msg=\"closing \\\"datapath\\\" = done\\\\\" resource.name=\"egress nyc\"")
        .contains(" tunnel=scraping/egress-nyc ")
        .contains(" mtu=1420 ");

    Map<String, String> parsed = Logfmt.parse(line);
    assertThat(parsed)
        .containsEntry("level", "WARN")
        .containsEntry("logger", "OpenDatapaths")
        .containsEntry("msg", "closing \"datapath\" = done\\")
        .containsEntry("resource.name", "egress nyc")
        .containsEntry("tunnel", "scraping/egress-nyc")
        .containsEntry("error", AWKWARD)
        .containsEntry("empty", "")
        .containsEntry("mtu", "1420");
    assertThat(parsed.get("exception"))
        .startsWith("java.lang.IllegalStateException: boom\n\"x\"")
        .contains("\tat io.tunnelier.api.logging.TunnelierLogEncoderTest");
  }

  @Test
  void jsonIsOneObjectPerLineWithTheKeyValues() throws Exception {
    String out =
        encode("json", event("closing \"datapath\"\n", new IllegalStateException("boom\"")));

    assertThat(out).endsWith("\n");
    assertThat(out.substring(0, out.length() - 1)).doesNotContain("\n");
    JsonNode node = new ObjectMapper().readTree(out);
    assertThat(node.get("level").asText()).isEqualTo("WARN");
    assertThat(node.get("loggerName").asText())
        .isEqualTo("io.tunnelier.agent.tunnel.OpenDatapaths");
    assertThat(node.get("formattedMessage").asText()).isEqualTo("closing \"datapath\"\n");
    assertThat(node.get("timestamp").asLong()).isEqualTo(1_700_000_000_123L);
    assertThat(node.get("mdc").get("resource.name").asText()).isEqualTo("egress nyc");
    Map<String, String> kv = new LinkedHashMap<>();
    node.get("kvpList")
        .forEach(p -> p.properties().forEach(f -> kv.put(f.getKey(), f.getValue().asText())));
    assertThat(kv)
        .containsEntry("tunnel", "scraping/egress-nyc")
        .containsEntry("error", AWKWARD)
        .containsEntry("empty", "")
        .containsEntry("mtu", "1420");
    assertThat(node.get("throwable").get("message").asText()).isEqualTo("boom\"");
    assertThat(node.has("sequenceNumber")).isFalse();
    assertThat(node.has("context")).isFalse();
  }

  @Test
  void anUnknownFormatWritesText() {
    assertThat(encode(" JSON ", event("m", null))).startsWith("{");
    assertThat(encode("yaml", event("m", null))).startsWith("ts=");
    assertThat(encode("", event("m", null))).startsWith("ts=");
  }

  @Test
  void bareValuesAreOnlyPlainAscii() {
    StringBuilder line = new StringBuilder();
    Logfmt.append(line, "a", "x/y-1.2:3");
    Logfmt.append(line, "b", "x y");
    Logfmt.append(line, "c", null);
    Logfmt.append(line, "bad key=", "é");
    assertThat(line).hasToString("a=x/y-1.2:3 b=\"x y\" c=null bad_key_=\"é\"");
    assertThat(Logfmt.parse(line.toString()))
        .containsExactly(
            Map.entry("a", "x/y-1.2:3"),
            Map.entry("b", "x y"),
            Map.entry("c", "null"),
            Map.entry("bad_key_", "é"));
  }

  @Test
  void parseRefusesBrokenQuotes() {
    assertThat(Logfmt.parse("flag k=v"))
        .containsExactly(Map.entry("flag", ""), Map.entry("k", "v"));
    assertThatThrownBy(() -> Logfmt.parse("msg=\"open"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Logfmt.parse("msg=\"a\\q\""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Logfmt.parse("msg=\"a\\u12\""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
