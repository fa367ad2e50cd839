/**
 * The kernel's links, addresses, routes, rules, neighbours and FDB entries as values (KernelState),
 * the pure diff from live to desired (KernelDiff), and the one effect that reads and writes them
 * (IpRoute, through ip -json and ip -batch in IpRoute2) with the one process runner (CommandRunner,
 * ProcessRunner). Ownership says which objects are ours. Depends on net in crds.
 */
package io.tunnelier.agent.kernel;
