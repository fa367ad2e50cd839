package io.tunnelier.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.net.IpFamily;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which iproute2 commands reads and changes of both families run. */
class IpRoute2CommandsTest {
  @TempDir Path procSysNet;

  @Test
  void aReadIsThreeBatchesOneWithoutFamilyAndOnePerFamily() throws Exception {
    FakeCommandRunner runner = new FakeCommandRunner();
    runner.answer("[]");
    new IpRoute2(runner, "ip", "bridge", procSysNet).read();
    assertThat(runner.lines())
        .containsExactly("ip -d -j -batch -", "ip -j -4 -batch -", "ip -j -6 -batch -");
  }

  @Test
  void aBatchThatPrintsFewerArraysThanItsCommandsIsAnErrorNotAnEmptyRead() {
    FakeCommandRunner runner = new FakeCommandRunner();
    runner.answer("");
    assertThatThrownBy(() -> new IpRoute2(runner, "ip", "bridge", procSysNet).read())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("printed 0 JSON documents for 2 commands");
  }

  @Test
  void theUnderlayIsOneProcess() throws Exception {
    FakeCommandRunner runner = new FakeCommandRunner();
    runner.answer("[]");
    assertThat(new IpRoute2(runner, "ip", "bridge", procSysNet).underlay()).isEmpty();
    assertThat(runner.lines()).containsExactly("ip -j -4 -batch -");
  }

  @Test
  void aKernelWithoutIpv6IsReadWithoutIp6() throws Exception {
    FakeCommandRunner runner = new FakeCommandRunner();
    runner.answer("[]");
    // ipv6.disable=1 on the kernel command line: no /proc/sys/net/ipv6, and ip -6 would fail.
    runner.failOn(" -6 ", "Address family not supported by protocol");
    new IpRoute2(runner, "ip", "bridge", procSysNet.resolve("absent")).read();
    assertThat(runner.lines()).noneMatch(l -> l.contains(" -6 "));
  }

  @Test
  void ipv6RulesGoThroughIpMinus6AndTheRestThroughIp() throws Exception {
    FakeCommandRunner runner = new FakeCommandRunner();
    Rule v4 = Rule.fromInterface(10105, "tnl-1", 5570560, IpFamily.IPV4);
    Rule v6 = Rule.fromInterface(10105, "tnl-1", 5570560, IpFamily.IPV6);
    Route route = Route.dev(5505024, Cidr.parse("fd00:80::/48"), "tnl-1");
    new IpRoute2(runner, "ip", "bridge", procSysNet)
        .apply(
            List.of(
                new IpCommand.AddRule(v4),
                new IpCommand.AddRule(v6),
                new IpCommand.ReplaceRoute(route)));
    assertThat(runner.lines()).containsExactly("ip -batch -", "ip -6 -batch -", "ip -batch -");
    assertThat(new IpCommand.AddRule(v6).batchLine())
        .isEqualTo("rule add iif tnl-1 lookup 5570560 priority 10105");
  }

  @Test
  void aRefusedCommandIsNamedByItsPlaceInTheWholeListThroughEveryProcess() throws Exception {
    FakeCommandRunner runner = new FakeCommandRunner();
    Rule v4 = Rule.fromInterface(10105, "tnl-1", 5570560, IpFamily.IPV4);
    Rule v6 = Rule.fromInterface(10105, "tnl-1", 5570560, IpFamily.IPV6);
    Rule v6b = Rule.fromInterface(10106, "tnl-2", 5570561, IpFamily.IPV6);
    Route route = Route.dev(5505024, Cidr.parse("192.0.2.0/24"), "tnl-1");
    // ip -6 refuses its second line: the third command of the four.
    runner.failOn(" -6 ", "RTNETLINK answers: File exists\nCommand failed -:2\n");
    IpRoute2 ip = new IpRoute2(runner, "ip", "bridge", procSysNet);
    List<IpCommand> commands =
        List.of(
            new IpCommand.AddRule(v4),
            new IpCommand.AddRule(v6),
            new IpCommand.AddRule(v6b),
            new IpCommand.ReplaceRoute(route));
    assertThatThrownBy(() -> ip.apply(commands))
        .isInstanceOfSatisfying(IpCommandRefused.class, e -> assertThat(e.index()).isEqualTo(2))
        .hasMessage(
            "RTNETLINK answers: File exists (ip -6 rule add iif tnl-2 lookup 5570561 priority"
                + " 10106)");
    assertThat(runner.lines()).containsExactly("ip -batch -", "ip -6 -batch -");

    // Output without a line number (the tool died, a timeout): not a refusal of one command.
    FakeCommandRunner dead = new FakeCommandRunner();
    dead.failOn("-batch", "ip: error while loading shared libraries");
    assertThatThrownBy(() -> new IpRoute2(dead, "ip", "bridge", procSysNet).apply(commands))
        .isNotInstanceOf(IpCommandRefused.class)
        .hasMessage("ip -batch - exited 2: ip: error while loading shared libraries");
  }
}
