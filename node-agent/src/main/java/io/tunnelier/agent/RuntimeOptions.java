package io.tunnelier.agent;

import io.tunnelier.api.Durations;
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

  /**
   * Set by the agent command: the health of backup peers, which its plan source reads; a standalone
   * host has none to watch.
   */
  io.tunnelier.agent.peers.PeerHealth peerHealth =
      new io.tunnelier.agent.peers.PeerHealth(
          io.tunnelier.agent.peers.PeerHealth.Settings.DEFAULTS);

  /** Set by the agent command: how often backup peers' health is probed. */
  Duration peerHealthInterval = Duration.ofSeconds(1);

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

  /** Parses 30s, 5m, 1h, 250ms or an ISO-8601 duration ({@link Durations}). */
  public static final class DurationConverter
      implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Durations.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
