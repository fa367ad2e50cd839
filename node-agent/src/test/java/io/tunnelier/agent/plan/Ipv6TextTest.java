package io.tunnelier.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 5952 text, as nft prints set elements; anything else is not an IPv6 address. */
class Ipv6TextTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "fd00::5, fd00::5",
    "FD00:0:0:0:0:0:0:5, fd00::5",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:0db8:0000:0000:0000:ff00:0042:8329, 2001:db8::ff00:42:8329",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "fe80::1, fe80::1",
    "::1, ::1",
    "fd00:1::, fd00:1::",
    "100.64.1.5, ",
    "::ffff:100.64.1.5, ",
    "example.com, ",
    "fd00::zz, ",
  })
  void canonical(String in, String out) {
    assertThat(Ipv6Text.canonical(in)).isEqualTo(Optional.ofNullable(out));
  }

  @ParameterizedTest(name = "{0} link-local: {1}")
  @CsvSource({"fe80::1, true", "febf::1, true", "fec0::1, false", "fd00::5, false", "::1, false"})
  void linkLocal(String address, boolean linkLocal) {
    assertThat(Ipv6Text.linkLocal(address)).isEqualTo(linkLocal);
  }
}
