package io.tunnelier.agent;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options both long-running modes share. */
public final class RuntimeOptions {
  @Option(
      names = "--metrics-port",
      defaultValue = "9464",
      description =
          "Port of /metrics (Prometheus) and /healthz; 0: a free port; -1: off. Default ${DEFAULT-VALUE}.")
  int metricsPort;

  @Option(
      names = "--metrics-address",
      description =
          "Address /metrics and /healthz listen on. Default: in a cluster the node's address"
              + " ($HOST_IP, from the downward API status.hostIP; 0.0.0.0 when unset);"
              + " standalone 127.0.0.1. A standalone agent listening beyond loopback labels"
              + " tunnels by device name, not by namespace/name.")
  String metricsAddress;

  /** Set by the standalone command: the host is a VPS facing the internet. */
  boolean standalone;

  @Option(
      names = "--resync-period",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "Full resync against the live kernel at least this often, e.g. 30s, 5m. Default ${DEFAULT-VALUE}.")
  Duration resyncPeriod;

  @Option(
      names = "--status-file",
      description = "Also write this host's per-tunnel status entries to this JSON file.")
  Path statusFile;

  @Option(
      names = "--cleanup",
      description =
          "Remove everything the agent ever created on this host (tnl* links, routes and rules in its tables, table inet tunnelier), then exit.")
  boolean cleanup;

  /** Parses 30s, 5m, 1h, 250ms or an ISO-8601 duration. */
  public static final class DurationConverter
      implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.strip().toLowerCase(java.util.Locale.ROOT);
      if (v.startsWith("p")) {
        return Duration.parse(value);
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(v);
      if (!m.matches()) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not a duration such as 30s or 5m");
      }
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
  }
}
