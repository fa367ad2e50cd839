package io.tunnelier.agent.plan;

import io.tunnelier.api.net.Cidr;
import java.util.List;

/** Address translation one tunnel needs on this host. */
public sealed interface Nat {
  /**
   * Gateway, egress: everything leaving through the tunnel device gets its inner address, {@code
   * to} for IPv4 and {@code to6} for IPv6 (null: the tunnel carries no IPv6).
   */
  record Snat(String dev, String to, String to6) implements Nat {
    public Snat(String dev, String to) {
      this(dev, to, null);
    }
  }

  /**
   * Cluster nodes, where the tunnel must carry pod IPs (a member's hop; a site-to-site gateway's
   * tunnel device and hop): traffic leaving through {@code devs} is source-NATed to its own source
   * address. The first NAT chain that sets up a binding for a flow wins and later ones at the same
   * hook are skipped (the kernel's nf_nat_inet_fn), so this identity binding, made at {@code srcnat
   * - 10}, keeps the CNI's masquerade at {@code srcnat} (e.g. flannel's, which masquerades pod
   * traffic to anything outside the pod network whatever the output device) off our devices.
   */
  record IdentitySnat(List<String> devs) implements Nat {
    public IdentitySnat {
      devs = List.copyOf(devs);
    }
  }

  /**
   * VPS, egress: traffic from the tunnel's far side ({@code sources}, of either family) leaves the
   * public interface masqueraded.
   */
  record Masquerade(String tunnelDev, String outDev, List<Cidr> sources) implements Nat {
    public Masquerade {
      sources = List.copyOf(sources);
    }
  }
}
