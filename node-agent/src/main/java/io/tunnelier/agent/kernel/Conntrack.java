package io.tunnelier.agent.kernel;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Set;

/**
 * The connection tracking table of the node's network namespace (every zone). The NAT the kernel
 * chose for a flow is kept in its entry and never re-decided while the entry lives, so when a pod's
 * path changes, its flows' entries must go for their next packets to take the new path. The real
 * one speaks ctnetlink ({@link NetlinkConntrack}); unit tests use an in-memory fake.
 */
public interface Conntrack {
  /**
   * Deletes every entry whose original direction comes from one of {@code sources} (IPv4 or IPv6);
   * returns how many were deleted. Entries that expire meanwhile are not an error.
   */
  int deleteByOriginalSource(Set<InetAddress> sources) throws IOException;
}
