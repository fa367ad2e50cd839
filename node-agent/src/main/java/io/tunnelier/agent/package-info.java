/**
 * The node-agent command line ({@code agent}, {@code standalone}, {@code plan}) and the wiring of
 * the real host behind it ({@code HostRuntime}: iproute2, nft, the datapaths, the probe, the loop,
 * the metrics server). The only package that knows every other one; none depends on it but for
 * small helpers ({@code DaemonThreads}).
 */
package io.tunnelier.agent;
