package io.tunnelier.agent.kernel;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Links, addresses, routes, policy rules, neighbours and VXLAN forwarding-database entries of the
 * node's network namespace: the real one runs iproute2 ({@code ip -j} and {@code bridge -j} to
 * read, {@code ip -batch -} and {@code bridge -batch -} to change), unit tests use an in-memory
 * fake with the same semantics.
 */
public interface IpRoute {
  /** The live state, filtered to the objects {@link Ownership} says are ours. */
  KernelState read() throws IOException;

  /**
   * Runs the commands in order and stops at the first the kernel refuses, throwing {@link
   * IpCommandRefused} with its position: those before it stay applied. Any other {@link
   * IOException} (a tool that could not run or timed out) says nothing of how far it got.
   */
  void apply(List<IpCommand> commands) throws IOException;

  /** The default route's device, MTU and address; empty when there is no default route. */
  Optional<Underlay> underlay() throws IOException;

  /** A link's MTU, or empty when it does not exist (any link, ours or not). */
  Optional<Integer> linkMtu(String name) throws IOException;
}
