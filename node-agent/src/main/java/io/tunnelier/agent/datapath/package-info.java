/**
 * The datapath contract: {@link io.tunnelier.agent.datapath.Datapath} carries one tunnel's packets
 * between its device and the peer, opened from a {@link io.tunnelier.agent.datapath.DatapathConfig}
 * and read through {@link io.tunnelier.agent.datapath.DatapathStats}. The implementations live in
 * the subpackages ({@code gre}, {@code wireguard}, over {@code net} and {@code tun}); nothing here
 * knows the agent's plan, loop or Kubernetes.
 */
package io.tunnelier.agent.datapath;
