package io.tunnelier.operator.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
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

  @Test
  void allocatesPairsOfSlash31FromThePoolSkippingTheFirst() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    Assignment first = allocator.assign(claim("a", null));
    Assignment second = allocator.assign(claim("b", null));
    assertThat(local(first)).isEqualTo("100.96.0.2/31");
    assertThat(peer(first)).isEqualTo("100.96.0.3/31");
    assertThat(local(second)).isEqualTo("100.96.0.4/31");
    assertThat(peer(second)).isEqualTo("100.96.0.5/31");
  }

  @Test
  void reassigningTheSameTunnelGivesTheSameAddresses() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    Assignment first = allocator.assign(claim("a", null));
    allocator.assign(claim("b", null));
    assertThat(allocator.assign(claim("a", null))).isEqualTo(first);
  }

  @Test
  void reportsExhaustionInsteadOfReusing() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/30");
    assertThat(local(allocator.assign(claim("a", null)))).isEqualTo("100.96.0.2/31");
    assertThat(allocator.assign(claim("b", null)))
        .isEqualTo(new Assignment.PoolExhausted("100.96.0.0/30"));
    allocator.release("a");
    assertThat(local(allocator.assign(claim("b", null)))).isEqualTo("100.96.0.2/31");
  }

  @Test
  void specAddressIsReservedAndConflictsAreReported() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    assertThat(local(allocator.assign(claim("a", "100.96.0.2/31")))).isEqualTo("100.96.0.2/31");
    // The pool skips what a spec took.
    assertThat(local(allocator.assign(claim("b", null)))).isEqualTo("100.96.0.4/31");
    // The peer side of a's pair counts as taken too.
    assertThat(allocator.assign(claim("c", "100.96.0.3/31")))
        .isEqualTo(new Assignment.Conflict("100.96.0.3/31", "ns/a"));
    assertThat(allocator.assign(claim("d", "100.96.0.5/31")))
        .isEqualTo(new Assignment.Conflict("100.96.0.5/31", "ns/b"));
  }

  @Test
  void invalidSpecAddressIsReported() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    assertThat(allocator.assign(claim("a", "10.0.0.1/32"))).isInstanceOf(Assignment.Invalid.class);
  }

  @Test
  void seedingKeepsRecordedAddressesAndTheOlderTunnelWinsAConflict() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    allocator.seed(
        List.of(
            recorded("young", "2026-02-01T00:00:00Z", "100.96.0.8/31", "100.96.0.9/31"),
            recorded("old", "2026-01-01T00:00:00Z", "100.96.0.8/31", "100.96.0.9/31"),
            recorded("other", "2026-01-15T00:00:00Z", "100.96.0.2/31", "100.96.0.3/31")));
    assertThat(allocator.isSeeded()).isTrue();
    assertThat(
            local(
                allocator.assign(
                    recorded("old", "2026-01-01T00:00:00Z", "100.96.0.8/31", "100.96.0.9/31"))))
        .isEqualTo("100.96.0.8/31");
    assertThat(
            local(
                allocator.assign(
                    recorded("other", "2026-01-15T00:00:00Z", "100.96.0.2/31", "100.96.0.3/31"))))
        .isEqualTo("100.96.0.2/31");
    // The younger duplicate gets the lowest free pair, not the older one's.
    assertThat(
            local(
                allocator.assign(
                    recorded("young", "2026-02-01T00:00:00Z", "100.96.0.8/31", "100.96.0.9/31"))))
        .isEqualTo("100.96.0.4/31");
  }

  @Test
  void recordedAddressesOutsideThePoolAreKept() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/16");
    allocator.seed(List.of());
    Assignment a =
        allocator.assign(recorded("a", "2026-01-01T00:00:00Z", "100.100.0.2/31", "100.100.0.3/31"));
    assertThat(local(a)).isEqualTo("100.100.0.2/31");
  }

  @Test
  void retainOnlyFreesTheAddressesOfVanishedTunnels() {
    AddressAllocator allocator = new AddressAllocator("100.96.0.0/30");
    allocator.assign(claim("gone", null));
    allocator.retainOnly(Set.of("b"));
    assertThat(local(allocator.assign(claim("b", null)))).isEqualTo("100.96.0.2/31");
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
