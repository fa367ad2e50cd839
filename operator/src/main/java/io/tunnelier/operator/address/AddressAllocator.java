package io.tunnelier.operator.address;

import io.tunnelier.api.net.Cidr;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Gives every Tunnel its inner address pair, never one address to two Tunnels. One instance per
 * operator, shared by all reconciles: every method is synchronized, so allocation is serialized.
 *
 * <p>A Tunnel's pair is {@code spec.address} when given, else the pair derived from both ends'
 * public keys ({@link KeyDerivedPair}, WireGuard site-to-site), else one from the pool. The first
 * two are fixed: they are taken when free and reported as a conflict otherwise, never replaced by a
 * pool pair.
 *
 * <p>It holds no truth of its own: addresses are recorded in each Tunnel's {@code
 * status.tunnelAddress}/{@code peerAddress} (or given in {@code spec.address}). Whenever it must
 * decide something new (the first time, a fresh pair, a conflict) it first rebuilds itself from
 * {@code everyone}, the complete list of Tunnels, oldest first, so a Tunnel keeps its addresses
 * across restarts. A partial view (an informer cache still filling after a restart) would let a new
 * Tunnel take the address of one not yet seen: the list must be complete.
 */
public final class AddressAllocator {
  /**
   * What the allocator needs to know of a Tunnel.
   *
   * @param derived the pair derived from the keys ({@link KeyDerivedPair}); null when the Tunnel's
   *     addresses are not derived, or when only its recorded addresses are known (another Tunnel
   *     read from a list)
   */
  public record Claim(
      String uid,
      String name,
      String creationTimestamp,
      String specAddress,
      String recordedAddress,
      String recordedPeerAddress,
      AddressPair derived) {

    /** A claim without a derived pair. */
    public Claim(
        String uid,
        String name,
        String creationTimestamp,
        String specAddress,
        String recordedAddress,
        String recordedPeerAddress) {
      this(uid, name, creationTimestamp, specAddress, recordedAddress, recordedPeerAddress, null);
    }

    /** The same claim with the pair derived from the keys. */
    public Claim withDerived(AddressPair pair) {
      return new Claim(
          uid, name, creationTimestamp, specAddress, recordedAddress, recordedPeerAddress, pair);
    }

    Claim withRecorded(AddressPair pair) {
      return new Claim(
          uid,
          name,
          creationTimestamp,
          specAddress,
          pair.local().toString(),
          pair.peer().toString(),
          derived);
    }
  }

  private final Cidr pool;
  private final Map<String, Owned> byUid = new HashMap<>();
  private boolean seeded;

  private record Owned(String name, AddressPair pair) {}

  public AddressAllocator(String poolCidr) {
    this.pool = AddressPool.parse("addressPool", poolCidr);
  }

  public Cidr pool() {
    return pool;
  }

  /** Where the allocator learns of the Tunnels that exist. */
  public interface Tunnels {
    /** Every Tunnel as the API server lists it now: complete, and costly. */
    List<Claim> listed();

    /** Every Tunnel in the operator's informer cache: cheap, but may lack some after a start. */
    List<Claim> cached();
  }

  /**
   * The Tunnel's addresses: {@code spec.address} when given, else its derived pair, else those it
   * already has (in memory or recorded in its status), else the lowest free /31 of the pool. Reads
   * {@code tunnels} only when something new must be decided: the complete list the first time
   * (rebuilding after a restart) and when the answer would be a conflict or an exhausted pool
   * (Tunnels deleted behind the operator's back are forgotten then); the cache otherwise.
   */
  public synchronized Assignment assign(Claim claim, Tunnels tunnels) {
    if (!seeded) {
      rebuild(tunnels.listed());
    } else {
      Assignment known = known(claim);
      if (known != null) {
        return known;
      }
      merge(tunnels.cached());
    }
    Assignment assignment = assignLocked(claim);
    if (assignment instanceof Assignment.Conflict
        || assignment instanceof Assignment.DerivedConflict
        || assignment instanceof Assignment.PoolExhausted) {
      rebuild(tunnels.listed());
      assignment = assignLocked(claim);
    }
    return assignment;
  }

  /** Forgets a deleted Tunnel; its addresses become free. */
  public synchronized void release(String uid) {
    byUid.remove(uid);
  }

  /** Forgets every claim whose uid {@code uids} accepts (a Tunnel's removed backup peers). */
  public synchronized void releaseIf(Predicate<String> uids) {
    byUid.keySet().removeIf(uids);
  }

  /**
   * Rebuilds the allocator from all Tunnels: first what this process decided (recorded or not yet),
   * then the other claims oldest first; where two claim the same address, the one placed first
   * keeps it and the other is given a new one when it is reconciled. Tunnels missing from the list
   * are forgotten.
   */
  private void rebuild(List<Claim> everyone) {
    Map<String, Owned> decided = new HashMap<>(byUid);
    byUid.clear();
    // What this process already gave out goes first: a rebuild never takes an address away from
    // the Tunnel that has it (ages tie within a second, and a name decides nothing).
    byAge(everyone)
        .filter(c -> decided.containsKey(c.uid()))
        .map(c -> c.withRecorded(decided.get(c.uid()).pair()))
        .forEach(this::placeLocked);
    byAge(everyone).filter(c -> !decided.containsKey(c.uid())).forEach(this::placeLocked);
    seeded = true;
  }

  /** Adds what the cache knows and memory does not (a spec.address not reconciled yet). */
  private void merge(List<Claim> cached) {
    byAge(cached).filter(c -> !byUid.containsKey(c.uid())).forEach(this::placeLocked);
  }

  private static java.util.stream.Stream<Claim> byAge(List<Claim> claims) {
    return claims.stream()
        .sorted(
            Comparator.comparing((Claim c) -> Objects.requireNonNullElse(c.creationTimestamp(), ""))
                .thenComparing(Claim::name));
  }

  /**
   * Takes the Tunnel's own addresses (spec or derived, else decided or recorded) when nobody placed
   * before it holds them; never allocates: a fresh pair handed out here, in age order, could take
   * what a younger Tunnel already has and is yet to be placed.
   */
  private void placeLocked(Claim claim) {
    AddressPair wanted;
    try {
      wanted = fixedPair(claim);
    } catch (IllegalArgumentException e) {
      return;
    }
    if (wanted == null) {
      wanted = recorded(claim);
    }
    if (wanted != null && ownerOf(wanted, claim.uid()) == null) {
      keep(claim, wanted);
    }
  }

  /** The answer when nothing new must be decided, else null. */
  private Assignment known(Claim claim) {
    AddressPair wanted;
    try {
      wanted = fixedPair(claim);
    } catch (IllegalArgumentException e) {
      byUid.remove(claim.uid());
      return new Assignment.Invalid(e.getMessage());
    }
    if (wanted != null) {
      return ownerOf(wanted, claim.uid()) == null ? keep(claim, wanted) : null;
    }
    Owned current = byUid.get(claim.uid());
    if (current != null && ownerOf(current.pair(), claim.uid()) == null) {
      return new Assignment.Assigned(current.pair());
    }
    AddressPair recorded = recorded(claim);
    if (recorded != null && ownerOf(recorded, claim.uid()) == null) {
      return keep(claim, recorded);
    }
    return null;
  }

  /**
   * {@link #known}, else a conflict for a taken spec.address or derived pair, else a fresh pair.
   */
  private Assignment assignLocked(Claim claim) {
    Assignment known = known(claim);
    if (known != null) {
      return known;
    }
    AddressPair wanted = fixedPair(claim); // valid: known() answered Invalid otherwise
    if (wanted != null) {
      String other = ownerOf(wanted, claim.uid());
      byUid.remove(claim.uid());
      return specPair(claim) != null
          ? new Assignment.Conflict(wanted.local().toString(), other)
          : new Assignment.DerivedConflict(wanted, other);
    }
    Set<Cidr> used = new HashSet<>();
    byUid.forEach(
        (uid, owned) -> {
          if (!uid.equals(claim.uid())) {
            used.addAll(owned.pair().addresses());
          }
        });
    // Pair 0 (.0/.1 of the pool) is skipped: some stacks dislike a host on a network address.
    for (long index = 1; index < pool.addressCount() / 2; index++) {
      AddressPair candidate = AddressPair.ofPoolIndex(pool, index);
      if (!used.contains(candidate.local().host()) && !used.contains(candidate.peer().host())) {
        return keep(claim, candidate);
      }
    }
    byUid.remove(claim.uid());
    return new Assignment.PoolExhausted(pool.toString());
  }

  private Assignment keep(Claim claim, AddressPair pair) {
    byUid.put(claim.uid(), new Owned(claim.name(), pair));
    return new Assignment.Assigned(pair);
  }

  /** The pair the Tunnel must have (spec.address, else derived), or null: the pool decides. */
  private static AddressPair fixedPair(Claim claim) {
    AddressPair spec = specPair(claim);
    return spec != null ? spec : claim.derived();
  }

  /** spec.address as a pair; null when not set; IllegalArgumentException when unusable. */
  private static AddressPair specPair(Claim claim) {
    if (claim.specAddress() == null || claim.specAddress().isBlank()) {
      return null;
    }
    return AddressPair.ofSpecAddress(claim.specAddress());
  }

  private static AddressPair recorded(Claim claim) {
    if (claim.recordedAddress() == null || claim.recordedPeerAddress() == null) {
      return null;
    }
    try {
      return new AddressPair(
          Cidr.parseIpv4(claim.recordedAddress()), Cidr.parseIpv4(claim.recordedPeerAddress()));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The name of another Tunnel using an address of {@code pair}, or null. */
  private String ownerOf(AddressPair pair, String exceptUid) {
    for (Map.Entry<String, Owned> entry : byUid.entrySet()) {
      if (!entry.getKey().equals(exceptUid) && entry.getValue().pair().overlaps(pair)) {
        return entry.getValue().name();
      }
    }
    return null;
  }
}
