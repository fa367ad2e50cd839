/**
 * Protocol-neutral packet I/O for the userspace datapaths (GRE here, WireGuard reuses it), through
 * jnr-ffi with no allocation per packet.
 *
 * <ul>
 *   <li>{@link io.tunnelier.agent.datapath.net.PacketBatch}: the unit every call moves; one direct
 *       buffer, a slot per packet with header room in front (encapsulate or decrypt in place), a
 *       destination or source {@link io.tunnelier.agent.datapath.net.Endpoint} per packet.
 *   <li>{@link io.tunnelier.agent.datapath.net.PacketSocket}: {@code receive(batch)} / {@code
 *       send(batch)}, one {@code recvmmsg}/{@code sendmmsg} each; {@link
 *       io.tunnelier.agent.datapath.net.UdpSocket} adds UDP GSO (consecutive equal-size packets to
 *       one destination leave in one message) and UDP GRO (split back into slots); {@link
 *       io.tunnelier.agent.datapath.net.RawIpSocket} is IPv4 raw for one protocol. The in-memory
 *       {@code FakeNetwork} (test tree) has the same contract.
 *   <li>Conventions: a packet with a null destination is not sent; receive returns -1 once closed;
 *       {@code close()} from any thread wakes a blocked receive.
 *   <li>{@link io.tunnelier.agent.datapath.net.Checksum}: RFC 1071 sums, fast on direct buffers,
 *       with copy-and-sum in one pass.
 * </ul>
 *
 * <p>A typical loop: {@code while ((n = socket.receive(batch)) >= 0) { transform in place;
 * device.write(batch); }}, one thread per direction.
 */
package io.tunnelier.agent.datapath.net;
