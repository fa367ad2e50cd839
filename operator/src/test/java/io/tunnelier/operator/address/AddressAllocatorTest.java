package io.tunnelier.operator.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AddressAllocatorTest {
  private static AddressAllocator.Claim claim(String uid, String spec) {
    return new AddressAllocator.Claim(uid, "ns/" + uid, "2026-01-01T00:00:00Z", spec, null, null);
  }

  private static AddressAllocator.Claim recorded(
      String uid, String created, String local, String peer) {
    return new AddressAllocator.Claim(uid, "ns/" + uid, created, null, local, peer);
  }

  private static String local(Assignment a) {
    return a.assigned().orElseThrow().local().toString();
  }

  private static String peer(Assignment a) {
    return a.assigned().orElseThrow().peer().toString();
  }

  /** The API server's view: the Tunnels that exist. */
  private final List<AddressAllocator.Claim> cluster = new ArrayList<>();

  /** The informer cache's view, when a test makes it lag; else the same as the API server's. */
  private List<AddressAllocator.Claim> cache;

  private int lists;

  private Assignment assign(AddressAllocator allocator, AddressAllocator.Claim claim) {
    if (cluster.stream().noneMatch(c -> c.uid().equals(claim.uid()))) {
      cluster.add(claim);
    }
    return allocator.assign(
        claim,
        new AddressAllocator.Tunnels() {
          @Override
          public List<AddressAllocator.Claim> listed() {
            lists++;
            return List.copyOf(cluster);
          }

          @Override
          public List<AddressAllocator.Claim> cached() {
            return List.copyOf(cache == null ? cluster : cache);
          }
        });
  }

  @Test
  void allocatesPairsOfSlash31FromThePoolSkippingTheFirst() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    Assignment first = assign(allocator, claim("a", null));
    Assignment second = assign(allocator, claim("b", null));
    assertThat(local(first)).isEqualTo("100.96.0.2/31");
    assertThat(peer(first)).isEqualTo("100.96.0.3/31");
    assertThat(local(second)).isEqualTo("100.96.0.4/31");
    assertThat(peer(second)).isEqualTo("100.96.0.5/31");
  }

  @Test
  void reassigningTheSameTunnelGivesTheSameAddressesWithoutListing() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    Assignment first = assign(allocator, claim("a", null));
    assign(allocator, claim("b", null));
    int listed = lists;
    assertThat(assign(allocator, claim("a", null))).isEqualTo(first);
    assign(allocator, claim("c", null));
    assertThat(lists).as("only the first decision lists; later ones read the cache").isEqualTo(1);
    assertThat(listed).isEqualTo(1);
  }

  @Test
  void reportsExhaustionInsteadOfReusing() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/30");
    assertThat(local(assign(allocator, claim("a", null)))).isEqualTo("100.96.0.2/31");
    assertThat(assign(allocator, claim("b", null)))
        .isEqualTo(new Assignment.PoolExhausted("100.96.0.0/30"));
    allocator.release("a");
    cluster.removeIf(c -> c.uid().equals("a"));
    assertThat(local(assign(allocator, claim("b", null)))).isEqualTo("100.96.0.2/31");
  }

  @Test
  void specAddressIsReservedAndConflictsAreReported() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    assertThat(local(assign(allocator, claim("a", "100.96.0.2/31")))).isEqualTo("100.96.0.2/31");
    // The pool skips what a spec took.
    assertThat(local(assign(allocator, claim("b", null)))).isEqualTo("100.96.0.4/31");
    // The peer side of a's pair counts as taken too.
    assertThat(assign(allocator, claim("c", "100.96.0.3/31")))
        .isEqualTo(new Assignment.Conflict("100.96.0.3/31", "ns/a"));
    assertThat(assign(allocator, claim("d", "100.96.0.5/31")))
        .isEqualTo(new Assignment.Conflict("100.96.0.5/31", "ns/b"));
  }

  @Test
  void invalidSpecAddressIsReported() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    assertThat(assign(allocator, claim("a", "10.0.0.1/32"))).isInstanceOf(Assignment.Invalid.class);
  }

  @Test
  void recordedAddressesSurviveARestartAndTheOlderTunnelWinsAConflict() {
    cluster.add(recorded("young", "2026-02-01T00:00:00Z", "100.96.0.8/31", "100.96.0.9/31"));
    cluster.add(recorded("old", "2026-01-01T00:00:00Z", "100.96.0.8/31", "100.96.0.9/31"));
    cluster.add(recorded("other", "2026-01-15T00:00:00Z", "100.96.0.2/31", "100.96.0.3/31"));
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    // The younger duplicate is reconciled first: it still gets the lowest free pair, not the
    // older one's, because the first decision reads everyone.
    assertThat(local(assign(allocator, cluster.get(0)))).isEqualTo("100.96.0.4/31");
    assertThat(local(assign(allocator, cluster.get(1)))).isEqualTo("100.96.0.8/31");
    assertThat(local(assign(allocator, cluster.get(2)))).isEqualTo("100.96.0.2/31");
  }

  @Test
  void aNewTunnelReconciledFirstAfterARestartNeverTakesARecordedAddress() {
    // What failed once: after a restart the informer cache held "one" and "three" but not yet
    // "two"; "three" (new) took "two"'s address. The allocator now reads the whole list.
    cluster.add(recorded("one", "2026-01-01T00:00:00Z", "100.96.0.2/31", "100.96.0.3/31"));
    cluster.add(recorded("two", "2026-01-02T00:00:00Z", "100.96.0.4/31", "100.96.0.5/31"));
    cache = new ArrayList<>(List.of(cluster.get(0))); // "two" not in the cache yet
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    assertThat(local(assign(allocator, cluster.get(0)))).isEqualTo("100.96.0.2/31");
    assertThat(local(assign(allocator, recorded("three", "2026-01-03T00:00:00Z", null, null))))
        .isEqualTo("100.96.0.6/31");
    assertThat(local(assign(allocator, cluster.get(1)))).isEqualTo("100.96.0.4/31");
  }

  @Test
  void anAssignmentNotYetRecordedIsKeptWhenTheListIsReadAgain() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    // "a" is assigned; its status patch has not landed, so the list shows it without addresses.
    assertThat(local(assign(allocator, claim("a", null)))).isEqualTo("100.96.0.2/31");
    assertThat(local(assign(allocator, claim("b", null)))).isEqualTo("100.96.0.4/31");
    assertThat(local(assign(allocator, claim("a", null)))).isEqualTo("100.96.0.2/31");
  }

  @Test
  void anOlderNewTunnelNeverTakesTheAddressAYoungerOneWasJustGiven() {
    // What failed once: many-013 was given .28 (status not yet written); then many-012, created
    // in the same second and so "older" by name, was placed first when the list was read again
    // and handed the lowest free pair: .28.
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    assertThat(local(assign(allocator, recorded("b", "2026-01-01T00:00:00Z", null, null))))
        .isEqualTo("100.96.0.2/31");
    assertThat(local(assign(allocator, recorded("a", "2026-01-01T00:00:00Z", null, null))))
        .isEqualTo("100.96.0.4/31");
    assertThat(local(assign(allocator, recorded("b", "2026-01-01T00:00:00Z", null, null))))
        .isEqualTo("100.96.0.2/31");
  }

  @Test
  void aConflictNeverMovesTheAddressFromTheTunnelThatHasIt() {
    // What failed once: "nowhere" took its spec.address; "clash", created in the same second and
    // first by name, asked for an overlapping one; the rebuild placed "clash" first.
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    assertThat(
            local(
                assign(
                    allocator,
                    new AddressAllocator.Claim(
                        "n", "ns/nowhere", "2026-01-01T00:00:00Z", "100.98.0.2/31", null, null))))
        .isEqualTo("100.98.0.2/31");
    assertThat(
            assign(
                allocator,
                new AddressAllocator.Claim(
                    "c", "ns/clash", "2026-01-01T00:00:00Z", "100.98.0.3/31", null, null)))
        .isEqualTo(new Assignment.Conflict("100.98.0.3/31", "ns/nowhere"));
  }

  @Test
  void recordedAddressesOutsideThePoolAreKept() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    Assignment a =
        assign(
            allocator, recorded("a", "2026-01-01T00:00:00Z", "100.100.0.2/31", "100.100.0.3/31"));
    assertThat(local(a)).isEqualTo("100.100.0.2/31");
  }

  @Test
  void tunnelsGoneFromTheListFreeTheirAddressesWhenThePoolRunsOut() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/30");
    assign(allocator, claim("gone", null));
    // Deleted without the operator's cleanup (finalizer removed by hand).
    cluster.removeIf(c -> c.uid().equals("gone"));
    assertThat(local(assign(allocator, claim("b", null)))).isEqualTo("100.96.0.2/31");
  }

  @Test
  void aSpecAddressHeldOnlyByAGoneTunnelIsNoConflict() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    assign(allocator, claim("gone", "100.96.0.8/31"));
    cluster.removeIf(c -> c.uid().equals("gone"));
    assertThat(local(assign(allocator, claim("new", "100.96.0.8/31")))).isEqualTo("100.96.0.8/31");
  }

  @Test
  void aSpecAddressInTheCacheIsNotHandedOutBeforeItsTunnelIsReconciled() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    assign(allocator, claim("a", null)); // .2; the first decision lists
    cluster.add(claim("pinned", "100.96.0.4/31")); // created, not reconciled yet
    assertThat(local(assign(allocator, claim("b", null)))).isEqualTo("100.96.0.6/31");
  }

  /** A WireGuard site-to-site Tunnel's claim with the pair derived from the keys. */
  private static AddressAllocator.Claim derived(String uid, String local) {
    return new AddressAllocator.Claim(uid, "ns/" + uid, "2026-01-01T00:00:00Z", null, null, null)
        .withDerived(AddressPair.ofSpecAddress(local));
  }

  @Test
  void aDerivedPairIsTakenAndHeldLikeASpecAddress() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    assertThat(local(assign(allocator, derived("s2s", "100.97.12.35/31"))))
        .isEqualTo("100.97.12.35/31");
    assertThat(peer(assign(allocator, derived("s2s", "100.97.12.35/31"))))
        .isEqualTo("100.97.12.34/31");
    assertThat(assign(allocator, claim("pinned", "100.97.12.34/31")))
        .isEqualTo(new Assignment.Conflict("100.97.12.34/31", "ns/s2s"));
  }

  @Test
  void aDerivedPairAnotherTunnelHoldsIsADerivedConflictNamingIt() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    assign(allocator, claim("pinned", "100.97.12.34/31"));
    assertThat(assign(allocator, derived("s2s", "100.97.12.35/31")))
        .isEqualTo(
            new Assignment.DerivedConflict(
                AddressPair.ofSpecAddress("100.97.12.35/31"), "ns/pinned"));
    // Two site-to-site Tunnels whose keys hash to the same /31: the first keeps it.
    assertThat(local(assign(allocator, derived("first", "100.97.40.0/31"))))
        .isEqualTo("100.97.40.0/31");
    assertThat(assign(allocator, derived("second", "100.97.40.1/31")))
        .isEqualTo(
            new Assignment.DerivedConflict(
                AddressPair.ofSpecAddress("100.97.40.1/31"), "ns/first"));
  }

  @Test
  void aDerivedPairIsNeverReplacedByAPoolPair() {
    // Pools overlapping is refused at start; an allocated pair recorded before a pool change can
    // still sit where a pair is derived.
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    assertThat(local(assign(allocator, claim("egress", null)))).isEqualTo("100.96.0.2/31");
    assertThat(assign(allocator, derived("s2s", "100.96.0.3/31")))
        .isEqualTo(
            new Assignment.DerivedConflict(
                AddressPair.ofSpecAddress("100.96.0.3/31"), "ns/egress"));
  }

  @Test
  void aNewPeerKeyMovesTheTunnelToItsNewPairAndFreesTheOld() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    assign(allocator, derived("s2s", "100.97.12.34/31"));
    assertThat(local(assign(allocator, derived("s2s", "100.97.77.1/31"))))
        .isEqualTo("100.97.77.1/31");
    assertThat(local(assign(allocator, claim("pinned", "100.97.12.34/31"))))
        .isEqualTo("100.97.12.34/31");
  }

  @Test
  void aDerivedPairSurvivesARestart() {
    cluster.add(
        new AddressAllocator.Claim(
            "s2s", "ns/s2s", "2025-12-01T00:00:00Z", null, "100.97.12.35/31", "100.97.12.34/31"));
    AddressAllocator restarted = new AddressAllocator("100.96.0.0/16");
    // A younger Tunnel reconciled first after the restart cannot take it...
    assertThat(assign(restarted, claim("pinned", "100.97.12.34/31")))
        .isEqualTo(new Assignment.Conflict("100.97.12.34/31", "ns/s2s"));
    // ...and the site-to-site Tunnel derives and keeps the same pair.
    assertThat(local(assign(restarted, derived("s2s", "100.97.12.35/31"))))
        .isEqualTo("100.97.12.35/31");
  }

  @Test
  void rejectsAPoolWithoutRoomForAPair() {
    assertThatThrownBy(() -> new AddressAllocator("100.96.0.0/31"))
        .hasMessageContaining("too small");
  }

  static Stream<Arguments> specAddresses() {
    return Stream.of(
        Arguments.of("100.96.0.2/31", "100.96.0.2/31", "100.96.0.3/31"),
        Arguments.of("100.96.0.3/31", "100.96.0.3/31", "100.96.0.2/31"),
        Arguments.of("10.0.0.1/30", "10.0.0.1/30", "10.0.0.2/30"),
        Arguments.of("10.0.0.2/30", "10.0.0.2/30", "10.0.0.1/30"),
        Arguments.of("192.168.7.10/24", "192.168.7.10/24", "192.168.7.11/24"),
        Arguments.of("192.168.7.254/24", "192.168.7.254/24", "192.168.7.253/24"));
  }

  @ParameterizedTest(name = "{0} -> {1} / {2}")
  @MethodSource("specAddresses")
  void peerOfASpecAddress(String spec, String local, String peer) {
    AddressPair pair = AddressPair.ofSpecAddress(spec);
    assertThat(pair.local().toString()).isEqualTo(local);
    assertThat(pair.peer().toString()).isEqualTo(peer);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"10.0.0.1/32", "10.0.0.0/24", "10.0.0.255/24", "10.0.0.1", "300.0.0.1/31", "a/31"})
  void unusableSpecAddresses(String spec) {
    assertThatThrownBy(() -> AddressPair.ofSpecAddress(spec))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
