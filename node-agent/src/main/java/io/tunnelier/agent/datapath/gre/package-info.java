/**
 * GRE (RFC 2784, RFC 2890 key and sequence number) and GRE-in-UDP (RFC 8086) datapaths: {@link
 * io.tunnelier.agent.datapath.gre.UserspaceGreDatapathFactory} over a TUN device for nodes without
 * the kernel module, {@link io.tunnelier.agent.datapath.gre.KernelGreDatapathFactory} for the
 * kernel's own gre device. {@link io.tunnelier.agent.datapath.gre.GreCodec} parses and builds the
 * header in place; {@link io.tunnelier.agent.datapath.gre.GreTransport} shares one socket among
 * many tunnels by key (a VPS serving many clusters). {@code GreTunnelMain}, which runs tunnels in a
 * namespace for tests and benchmarks, lives in the test sources (node-agent test-jar).
 */
package io.tunnelier.agent.datapath.gre;
