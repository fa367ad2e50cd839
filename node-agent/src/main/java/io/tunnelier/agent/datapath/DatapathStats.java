package io.tunnelier.agent.datapath;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of a datapath's counters. {@code drops} counts dropped packets by reason (e.g.
 * "gre-bad-checksum", "wg-replay"), so malformed input is visible instead of thrown.
 *
 * @param lastHandshake WireGuard: when the last handshake completed; null otherwise or never
 * @param peerEndpoint where packets go now (learned from the peer when it roams); may be null
 */
public record DatapathStats(
    long rxPackets,
    long rxBytes,
    long txPackets,
    long txBytes,
    Map<String, Long> drops,
    Instant lastHandshake,
    String peerEndpoint) {}
