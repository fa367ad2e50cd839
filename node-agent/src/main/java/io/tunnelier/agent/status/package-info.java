/**
 * This node's per-tunnel {@code status.nodes[]} entry: built (pure, {@code NodeStatusBuilder}),
 * measured (peer RTT and loss probes, in parallel, within a budget) and sent to a {@link
 * io.tunnelier.agent.status.StatusSink}: server-side apply in a cluster, a JSON file or the log in
 * standalone mode. Depends on {@code plan}, {@code apply} and {@code datapath} results and on the
 * API types; not on the loop.
 */
package io.tunnelier.agent.status;
