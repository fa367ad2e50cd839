package io.tunnelier.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.v1alpha1.DatapathMode;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.NodeDatapath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kernel or userspace for raw GRE, by module, peer and mode: a tunnel that learns its peer (the
 * VPS) never gets the kernel's gre device, which needs a fixed remote. The kernel path cannot run
 * on these machines (no ip_gre), so this table is what proves the choice.
 */
class DatapathChoiceTest {
  @ParameterizedTest(name = "gre module={0}, peer learned={1}, {2} -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        // module present
        "true  | false | AUTO   | KERNEL    | the kernel has the gre module",
        "true  | true  | AUTO   | USERSPACE | the peer is learned from its packets",
        "true  | false | KERNEL | KERNEL    | datapath Kernel",
        "true  | true  | KERNEL | problem   | needs a fixed remote and this tunnel learns its peer",
        // module absent
        "false | false | AUTO   | USERSPACE | the kernel has no gre module",
        "false | true  | AUTO   | USERSPACE | the kernel has no gre module",
        "false | false | KERNEL | problem   | datapath Kernel, but this node's kernel has no gre",
        "false | true  | KERNEL | problem   | datapath Kernel, but this node's kernel has no gre",
      })
  void rawGre(boolean module, boolean learned, DatapathMode mode, String expected, String because) {
    DatapathChoice.Result r =
        DatapathChoice.choose(
            mode, Encapsulation.GRE, new Capabilities(true, module, false, true, true), learned);
    if (expected.equals("problem")) {
      assertThat(r.datapath()).isNull();
      assertThat(r.problem()).contains(because);
    } else {
      assertThat(r.problem()).isNull();
      assertThat(r.datapath()).isEqualTo(NodeDatapath.valueOf(expected));
      assertThat(r.reason()).contains(because);
    }
  }

  @ParameterizedTest(name = "IPv6 underlay: gre module={0}, {1}, tun={2} -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        // ip_gre carries IPv4 underlays only: with the module, raw GRE over IPv6 is userspace's
        "true  | AUTO      | true  | USERSPACE | carries IPv4 underlays only",
        "true  | KERNEL    | true  | problem   | carries IPv4 underlays only",
        "true  | USERSPACE | true  | USERSPACE | datapath Userspace",
        "true  | AUTO      | false | problem   | and the userspace datapath needs",
        "false | AUTO      | true  | USERSPACE | the kernel has no gre module",
      })
  void rawGreOverIpv6(
      boolean module, DatapathMode mode, boolean tun, String expected, String because) {
    DatapathChoice.Result r =
        DatapathChoice.choose(
            mode, Encapsulation.GRE, new Capabilities(tun, module, false, true, true), false, true);
    if (expected.equals("problem")) {
      assertThat(r.datapath()).isNull();
      assertThat(r.problem()).contains(because);
    } else {
      assertThat(r.problem()).isNull();
      assertThat(r.datapath()).isEqualTo(NodeDatapath.valueOf(expected));
      assertThat(r.reason()).contains(because);
    }
  }

  @ParameterizedTest(name = "{0} gre={1} wg={2} tun={3} learned={4} -> {5}")
  @CsvSource(
      delimiter = '|',
      value = {
        // the kernel's WireGuard device learns its peer's endpoint itself (roaming)
        "WIREGUARD    | false | true  | true  | true  | KERNEL",
        // GRE-in-UDP has no kernel path whatever the peer
        "GRE_OVER_UDP | true  | true  | true  | true  | USERSPACE",
        "GRE_OVER_UDP | true  | true  | true  | false | USERSPACE",
        // learning needs the userspace datapath, which needs TUN
        "GRE          | true  | true  | false | true  | userspace datapath needs",
        "GRE          | true  | true  | false | false | KERNEL",
      })
  void otherEncapsulationsAndNoTun(
      Encapsulation encap, boolean gre, boolean wg, boolean tun, boolean learned, String expected) {
    DatapathChoice.Result r =
        DatapathChoice.choose(
            DatapathMode.AUTO, encap, new Capabilities(tun, gre, wg, true, true), learned);
    if (expected.equals("KERNEL") || expected.equals("USERSPACE")) {
      assertThat(r.datapath()).isEqualTo(NodeDatapath.valueOf(expected));
      assertThat(r.reason()).isNotBlank();
    } else {
      assertThat(r.problem()).contains(expected).contains("peerEndpoint");
    }
  }
}
