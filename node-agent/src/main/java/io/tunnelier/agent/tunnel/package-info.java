/**
 * The datapaths this agent has open: {@link io.tunnelier.agent.tunnel.OpenDatapaths} opens,
 * re-opens and closes one per wanted tunnel device through a {@link
 * io.tunnelier.agent.tunnel.DatapathOpener}, in production {@link
 * io.tunnelier.agent.tunnel.BuiltInDatapaths} (kernel or userspace, GRE or WireGuard). Depends on
 * {@code datapath} and its implementations, and on {@code plan} for the device it opens.
 */
package io.tunnelier.agent.tunnel;
