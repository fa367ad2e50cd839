package io.tunnelier.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.nft.NftScript;
import io.tunnelier.agent.plan.DropRules.Counted;
import io.tunnelier.agent.plan.DropRules.Reason;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every comment the rules are written with reads back as its tunnel and reason. */
class DropRulesTest {
  @Test
  void everyCommentReadsBack() {
    String key = "team-a/egress.nyc-1";
    assertThat(DropRules.parse(DropRules.killSwitch(key, null)))
        .contains(new Counted(key, Reason.KILL_SWITCH));
    assertThat(DropRules.parse(DropRules.killSwitch(key, "pods without a known IP")))
        .contains(new Counted(key, Reason.KILL_SWITCH));
    assertThat(DropRules.parse(DropRules.notAReply(key, "tnl-1a2b3c4d")))
        .contains(new Counted(key, Reason.NOT_A_REPLY));
    assertThat(DropRules.parse(DropRules.toHost(key, "tnl-1a2b3c4d")))
        .contains(new Counted(key, Reason.TO_HOST));
    assertThat(DropRules.parse(DropRules.noIpv6Into(key, "tnlv-1a2b3c4d")))
        .contains(new Counted(key, Reason.IPV6_INTO_TUNNEL));
    assertThat(DropRules.parse(DropRules.VXLAN_HOP_COMMENT))
        .contains(new Counted(null, Reason.VXLAN_HOP));
    assertThat(DropRules.parse(DropRules.HELD_IPV4_COMMENT))
        .contains(new Counted(null, Reason.HELD_NEW_POD));
    assertThat(DropRules.parse(DropRules.HELD_IPV6_COMMENT))
        .contains(new Counted(null, Reason.HELD_NEW_POD));
  }

  @Test
  void otherCommentsAreNotDropRules() {
    assertThat(DropRules.parse("team-a/egress")).isEmpty();
    assertThat(DropRules.parse("team-a/egress: the peer's RTT probe")).isEmpty();
    assertThat(DropRules.parse("cluster nodes: may send to the VXLAN hop")).isEmpty();
    assertThat(DropRules.parse(null)).isEqualTo(Optional.empty());
  }

  @Test
  void totalsSumTheRulesOfOneKind() {
    assertThat(
            DropRules.totals(
                Map.of(
                    "kill switch a/b", 3L,
                    "kill switch a/b: IPv6", 4L,
                    "kill switch a/b: from the hop", 5L,
                    "a/b: to this host from tnl-1", 1L,
                    "a/b", 100L)))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                new Counted("a/b", Reason.KILL_SWITCH), 12L,
                new Counted("a/b", Reason.TO_HOST), 1L));
  }

  @Test
  void theRulesTheAgentWritesAreTheOnesItCounts() {
    String rules =
        Stream.of(
                PlanFixtures.egressGatewayPlans(),
                PlanFixtures.egressMemberPlans(),
                PlanFixtures.siteToSitePlans(true))
            .map(plans -> NftScript.replace(DesiredStateFunction.compute(plans).nft()))
            .collect(Collectors.joining("\n"));
    assertThat(rules)
        .contains(
            "counter drop comment \"kill switch ",
            "not a reply, from",
            "to this host from",
            "no IPv6 into",
            DropRules.VXLAN_HOP_COMMENT);
    for (String line : rules.split("\n")) {
      int at = line.indexOf("counter drop comment \"");
      if (at >= 0) {
        String comment = line.substring(at + 22, line.indexOf('"', at + 22));
        assertThat(DropRules.parse(comment)).as(line).isPresent();
      }
    }
  }
}
