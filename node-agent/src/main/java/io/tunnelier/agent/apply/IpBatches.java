package io.tunnelier.agent.apply;

import io.tunnelier.agent.kernel.IpCommand;
import io.tunnelier.agent.plan.TunnelId;
import io.tunnelier.agent.plan.TunnelPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits the commands of one pass into batches, one per tunnel, so that a command the kernel
 * refuses (a clashing name, a device that vanished) stops only its own tunnel's batch, never
 * another tunnel's routes and rules. Pure.
 *
 * <p>Every removal batch runs before every addition batch: a table slot or VNI one tunnel gives up
 * may be the one another takes in the same pass. Within a batch the commands keep {@link
 * io.tunnelier.agent.kernel.KernelDiff}'s order, so a tunnel whose route fails gets no rule into
 * its half-built table. Objects no planned tunnel owns (leftovers of deleted Tunnels) form the
 * batch of owner {@link #NO_OWNER}.
 */
public final class IpBatches {
  /** The owner of objects that belong to no planned tunnel. */
  public static final String NO_OWNER = "";

  /** Commands of one tunnel (its {@code namespace/name}), to run as one {@code ip -batch}. */
  public record Batch(String owner, List<IpCommand> commands) {
    public Batch {
      commands = List.copyOf(commands);
    }
  }

  private final Map<String, String> deviceOwners = new HashMap<>();
  private final Map<Integer, String> tableOwners = new HashMap<>();

  private IpBatches(List<TunnelPlan> plans) {
    for (TunnelPlan p : plans) {
      TunnelId id = p.id();
      deviceOwners.put(id.deviceName(), p.key());
      p.datapaths().values().forEach(d -> deviceOwners.put(d.name(), p.key()));
      deviceOwners.put(id.vxlanName(), p.key());
      tableOwners.put(id.table(), p.key());
      tableOwners.put(id.replyTable(), p.key());
    }
  }

  /** Removal batches first, then addition batches; batches in owner order, so logs are stable. */
  public static List<Batch> split(List<IpCommand> commands, List<TunnelPlan> plans) {
    IpBatches owners = new IpBatches(plans);
    Map<String, List<IpCommand>> removals = new TreeMap<>();
    Map<String, List<IpCommand>> additions = new TreeMap<>();
    for (IpCommand c : commands) {
      (isRemoval(c) ? removals : additions)
          .computeIfAbsent(owners.ownerOf(c), k -> new ArrayList<>())
          .add(c);
    }
    List<Batch> out = new ArrayList<>();
    removals.forEach((owner, list) -> out.add(new Batch(owner, list)));
    additions.forEach((owner, list) -> out.add(new Batch(owner, list)));
    return out;
  }

  private static boolean isRemoval(IpCommand c) {
    return c instanceof IpCommand.DeleteLink
        || c instanceof IpCommand.DeleteAddress
        || c instanceof IpCommand.DeleteRoute
        || c instanceof IpCommand.DeleteRule
        || c instanceof IpCommand.DeleteNeighbor
        || c instanceof IpCommand.DeleteFdbEntry;
  }

  private String ownerOf(IpCommand c) {
    String owner = null;
    if (c instanceof IpCommand.AddLink a) {
      owner = deviceOwners.get(a.link().name());
    } else if (c instanceof IpCommand.DeleteLink d) {
      owner = deviceOwners.get(d.name());
    } else if (c instanceof IpCommand.SetLink s) {
      owner = deviceOwners.get(s.name());
    } else if (c instanceof IpCommand.AddAddress a) {
      owner = deviceOwners.get(a.address().dev());
    } else if (c instanceof IpCommand.DeleteAddress d) {
      owner = deviceOwners.get(d.address().dev());
    } else if (c instanceof IpCommand.ReplaceRoute r) {
      owner = tableOwners.get(r.route().table());
    } else if (c instanceof IpCommand.DeleteRoute r) {
      owner = tableOwners.get(r.route().table());
    } else if (c instanceof IpCommand.AddRule r) {
      owner = tableOwners.get(r.rule().table());
    } else if (c instanceof IpCommand.DeleteRule r) {
      owner = tableOwners.get(r.rule().table());
    } else if (c instanceof IpCommand.ReplaceNeighbor n) {
      owner = deviceOwners.get(n.neighbor().dev());
    } else if (c instanceof IpCommand.DeleteNeighbor n) {
      owner = deviceOwners.get(n.neighbor().dev());
    } else if (c instanceof IpCommand.ReplaceFdbEntry f) {
      owner = deviceOwners.get(f.entry().dev());
    } else if (c instanceof IpCommand.DeleteFdbEntry f) {
      owner = deviceOwners.get(f.entry().dev());
    }
    return owner == null ? NO_OWNER : owner;
  }
}
