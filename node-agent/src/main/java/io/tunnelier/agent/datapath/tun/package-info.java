/**
 * The TUN device for userspace datapaths: {@link io.tunnelier.agent.datapath.tun.TunDevice} reads
 * and writes {@link io.tunnelier.agent.datapath.net.PacketBatch}es of plain IPv4/IPv6 packets.
 * {@link io.tunnelier.agent.datapath.tun.LinuxTunDevice} opens {@code /dev/net/tun} in the calling
 * thread's network namespace ({@code IFF_TUN | IFF_NO_PI}), sets MTU and up; with offloads it uses
 * {@code IFF_VNET_HDR} + TSO so one read returns a 64 KiB TCP super-packet, split by {@link
 * io.tunnelier.agent.datapath.tun.TsoSegmenter} into MTU-sized segments, and writes in-order TCP
 * segments merged by {@link io.tunnelier.agent.datapath.tun.TcpCoalescer} with one {@code writev}.
 * Callers never see offload details. {@code FakeTunDevice} (test tree) is the in-memory twin.
 */
package io.tunnelier.agent.datapath.tun;
