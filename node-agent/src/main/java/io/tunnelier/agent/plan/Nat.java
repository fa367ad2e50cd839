package io.tunnelier.agent.plan;

import io.tunnelier.api.peerconfig.Ipv4Cidr;
import java.util.List;

/** Address translation one tunnel needs on this host. */
public sealed interface Nat {
  /** Gateway, egress: everything leaving through the tunnel device gets its inner address. */
  record Snat(String dev, String to) implements Nat {}

  /** VPS, egress: traffic from the tunnel's far side leaves the public interface masqueraded. */
  record Masquerade(String tunnelDev, String outDev, List<Ipv4Cidr> sources) implements Nat {
    public Masquerade {
      sources = List.copyOf(sources);
    }
  }
}
