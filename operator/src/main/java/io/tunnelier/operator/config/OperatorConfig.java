package io.tunnelier.operator.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tunnelier.api.Durations;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.operator.address.AddressPool;
import io.tunnelier.operator.address.Ipv6Pool;
import java.time.Duration;
import java.util.List;

/**
 * The operator's configuration file ({@code --config}, default {@code
 * /etc/tunnelier/operator.yaml}), rendered by the Helm chart into a ConfigMap. Every key is
 * described in docs/operator.md; absent keys take the defaults below.
 *
 * @param agent how the node agent DaemonSet runs
 * @param addressPool IPv4 CIDR inner tunnel addresses are allocated from, as /31 pairs
 * @param siteToSiteAddressPool IPv4 CIDR the inner /31 of a WireGuard site-to-site Tunnel without
 *     spec.address is derived in from both ends' public keys; the same on both clusters, and apart
 *     from {@code addressPool}
 * @param gatewayFailoverAfter how long the active gateway's agent may report the tunnel down before
 *     another candidate takes over ({@code 30s})
 * @param finalizerWait how long a deleted Tunnel waits for every agent to report its state removed
 *     ({@code 60s})
 * @param clusterCIDRs this cluster's pod and service ranges, of either family, e.g. {@code
 *     [10.244.0.0/16, 10.96.0.0/12, fd00:10:96::/112]}: no Tunnel may take them (SpecRefusals), and
 *     the agents get them as {@code --cluster-cidr} so egress never carries them. Node podCIDRs are
 *     added anyway, but they are not the pod range on every CNI, and nothing in the API names the
 *     service range. Default: none
 * @param gatewayHeartbeatInterval how often an agent renews its heartbeat Lease while its node is a
 *     gateway or standby ({@code 1s}); {@code 0s}: no heartbeats, a dead gateway node is noticed
 *     when its Node turns NotReady
 * @param gatewayHeartbeatTimeout how long a heartbeat may stay unrenewed before its node's tunnels
 *     fail over ({@code 3s}); at least twice the interval
 * @param addressPool6 IPv6 /96 the IPv6 inner addresses of Tunnels that carry IPv6 are taken from
 *     ({@link Ipv6Pool}: each is the IPv4 one embedded in it); default {@value Ipv6Pool#DEFAULT}
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record OperatorConfig(
    AgentConfig agent,
    String addressPool,
    String siteToSiteAddressPool,
    String gatewayFailoverAfter,
    String finalizerWait,
    List<String> clusterCIDRs,
    String gatewayHeartbeatInterval,
    String gatewayHeartbeatTimeout,
    String addressPool6) {

  public static final String DEFAULT_ADDRESS_POOL = "100.96.0.0/16";
  public static final String DEFAULT_SITE_TO_SITE_ADDRESS_POOL = "100.97.0.0/16";

  public OperatorConfig {
    agent = agent == null ? AgentConfig.defaults() : agent;
    addressPool = addressPool == null || addressPool.isBlank() ? DEFAULT_ADDRESS_POOL : addressPool;
    siteToSiteAddressPool =
        siteToSiteAddressPool == null || siteToSiteAddressPool.isBlank()
            ? DEFAULT_SITE_TO_SITE_ADDRESS_POOL
            : siteToSiteAddressPool;
    gatewayFailoverAfter = gatewayFailoverAfter == null ? "30s" : gatewayFailoverAfter;
    finalizerWait = finalizerWait == null ? "60s" : finalizerWait;
    // Fail at start with a clear message, not at the first reconcile.
    Cidr pool = AddressPool.parse("addressPool", addressPool);
    Cidr siteToSitePool = AddressPool.parse("siteToSiteAddressPool", siteToSiteAddressPool);
    if (pool.overlaps(siteToSitePool)) {
      // A pair handed out of the shared range could be the one two clusters derive for their
      // site-to-site tunnel: then that tunnel could not have it.
      throw new IllegalArgumentException(
          "addressPool "
              + addressPool
              + " and siteToSiteAddressPool "
              + siteToSiteAddressPool
              + " overlap: give them separate ranges, e.g. 100.96.0.0/16 and 100.97.0.0/16"
              + " (siteToSiteAddressPool must be the same in both clusters of a site-to-site"
              + " tunnel)");
    }
    addressPool6 = addressPool6 == null || addressPool6.isBlank() ? Ipv6Pool.DEFAULT : addressPool6;
    Ipv6Pool.parse("addressPool6", addressPool6);
    Durations.parse(gatewayFailoverAfter);
    Durations.parse(finalizerWait);
    gatewayHeartbeatInterval = gatewayHeartbeatInterval == null ? "1s" : gatewayHeartbeatInterval;
    gatewayHeartbeatTimeout = gatewayHeartbeatTimeout == null ? "3s" : gatewayHeartbeatTimeout;
    Duration interval = parseNamed("gatewayHeartbeatInterval", gatewayHeartbeatInterval);
    Duration timeout = parseNamed("gatewayHeartbeatTimeout", gatewayHeartbeatTimeout);
    if (interval.isNegative() || timeout.isNegative()) {
      throw new IllegalArgumentException(
          "gatewayHeartbeatInterval and gatewayHeartbeatTimeout may not be negative");
    }
    if (!interval.isZero() && timeout.compareTo(interval.multipliedBy(2)) < 0) {
      // One late renewal (a GC pause, a slow API server) must not move every gateway.
      throw new IllegalArgumentException(
          "gatewayHeartbeatTimeout "
              + gatewayHeartbeatTimeout
              + " is shorter than twice gatewayHeartbeatInterval "
              + gatewayHeartbeatInterval
              + ": one late renewal would fail the gateway over; e.g. 1s and 3s");
    }
    clusterCIDRs = clusterCIDRs == null ? List.of() : List.copyOf(clusterCIDRs);
    for (String cidr : clusterCIDRs) {
      if (cidr == null || !cidr.contains("/")) {
        throw new IllegalArgumentException(
            "clusterCIDRs: '"
                + cidr
                + "' is not a CIDR: list this cluster's pod and service ranges, of either family,"
                + " e.g. 10.244.0.0/16, 10.96.0.0/12 and fd00:10:96::/112");
      }
      try {
        Cidr.parse(cidr);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("clusterCIDRs: " + e.getMessage(), e);
      }
    }
  }

  /** All defaults. */
  public static OperatorConfig defaults() {
    return new OperatorConfig(null, null, null, null, null, null, null, null, null);
  }

  private static Duration parseNamed(String key, String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  public Duration gatewayHeartbeatIntervalDuration() {
    return Durations.parse(gatewayHeartbeatInterval);
  }

  public Duration gatewayHeartbeatTimeoutDuration() {
    return Durations.parse(gatewayHeartbeatTimeout);
  }

  public OperatorConfig withGatewayHeartbeat(Duration interval, Duration timeout) {
    return new OperatorConfig(
        agent,
        addressPool,
        siteToSiteAddressPool,
        gatewayFailoverAfter,
        finalizerWait,
        clusterCIDRs,
        Durations.format(interval),
        Durations.format(timeout),
        addressPool6);
  }

  public Ipv6Pool pool6() {
    return Ipv6Pool.parse("addressPool6", addressPool6);
  }

  public Cidr siteToSitePool() {
    return AddressPool.parse("siteToSiteAddressPool", siteToSiteAddressPool);
  }

  public Duration gatewayFailoverAfterDuration() {
    return Durations.parse(gatewayFailoverAfter);
  }

  public Duration finalizerWaitDuration() {
    return Durations.parse(finalizerWait);
  }

  public OperatorConfig withAgent(AgentConfig newAgent) {
    return new OperatorConfig(
        newAgent,
        addressPool,
        siteToSiteAddressPool,
        gatewayFailoverAfter,
        finalizerWait,
        clusterCIDRs,
        gatewayHeartbeatInterval,
        gatewayHeartbeatTimeout,
        addressPool6);
  }

  public OperatorConfig withAddressPool(String pool) {
    return new OperatorConfig(
        agent,
        pool,
        siteToSiteAddressPool,
        gatewayFailoverAfter,
        finalizerWait,
        clusterCIDRs,
        gatewayHeartbeatInterval,
        gatewayHeartbeatTimeout,
        addressPool6);
  }

  public OperatorConfig withSiteToSiteAddressPool(String pool) {
    return new OperatorConfig(
        agent,
        addressPool,
        pool,
        gatewayFailoverAfter,
        finalizerWait,
        clusterCIDRs,
        gatewayHeartbeatInterval,
        gatewayHeartbeatTimeout,
        addressPool6);
  }

  public OperatorConfig withAddressPools(String pool, String siteToSitePool) {
    return new OperatorConfig(
        agent,
        pool,
        siteToSitePool,
        gatewayFailoverAfter,
        finalizerWait,
        clusterCIDRs,
        gatewayHeartbeatInterval,
        gatewayHeartbeatTimeout,
        addressPool6);
  }

  public OperatorConfig withClusterCidrs(List<String> cidrs) {
    return new OperatorConfig(
        agent,
        addressPool,
        siteToSiteAddressPool,
        gatewayFailoverAfter,
        finalizerWait,
        cidrs,
        gatewayHeartbeatInterval,
        gatewayHeartbeatTimeout,
        addressPool6);
  }

  public OperatorConfig withGatewayFailoverAfter(Duration after) {
    return new OperatorConfig(
        agent,
        addressPool,
        siteToSiteAddressPool,
        Durations.format(after),
        finalizerWait,
        clusterCIDRs,
        gatewayHeartbeatInterval,
        gatewayHeartbeatTimeout,
        addressPool6);
  }

  public OperatorConfig withFinalizerWait(Duration wait) {
    return new OperatorConfig(
        agent,
        addressPool,
        siteToSiteAddressPool,
        gatewayFailoverAfter,
        Durations.format(wait),
        clusterCIDRs,
        gatewayHeartbeatInterval,
        gatewayHeartbeatTimeout,
        addressPool6);
  }
}
