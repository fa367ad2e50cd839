package io.tunnelier.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the agent wants of the CNI plugin's holds, from the cluster as the informers see it. */
class PodHoldsTest {
  static final String UID_NEW = "0b1c2d3e-aaaa-bbbb-cccc-1234567890ab";

  static PodInfo scraper(String name, String ip, String uid, List<String> ipv6) {
    return new PodInfo(
        "scraping",
        name,
        Map.of("app", "scraper"),
        ip,
        Fixtures.MEMBER,
        false,
        false,
        false,
        ipv6,
        uid);
  }

  static PodHolds holds(List<PodInfo> extra, Tunnel... tunnels) {
    return PodHolds.of(
        Fixtures.snapshotWithPods(extra, tunnels),
        Fixtures.MEMBER,
        List.of(Cidr.parse("100.70.0.0/16")));
  }

  @Test
  void namespacesOfEgressTunnelsWithTheirKillSwitchAreGuarded() {
    Tunnel egress = Fixtures.egress("egress", Encapsulation.GRE);
    Tunnel open = Fixtures.egress("open", Encapsulation.GRE);
    open.getMetadata().setNamespace("open-ns");
    open.getSpec().getEgress().setKillSwitch(false);
    Tunnel s2s = Fixtures.siteToSite("s2s");
    s2s.getMetadata().setNamespace("s2s-ns");
    Tunnel deleting = Fixtures.egress("gone", Encapsulation.GRE);
    deleting.getMetadata().setNamespace("gone-ns");
    deleting.getMetadata().setDeletionTimestamp("2026-12-03T00:00:00Z");
    Tunnel unset = Fixtures.egress("unset", Encapsulation.GRE);
    unset.getMetadata().setNamespace("default-on");
    unset.getSpec().getEgress().setKillSwitch(null);

    PodHolds h = holds(List.of(), egress, open, s2s, deleting, unset);

    assertThat(h.guardedNamespaces()).containsExactly("default-on", "scraping");
    assertThat(h.active()).isTrue();
    assertThat(holds(List.of(), s2s).active()).isFalse();
  }

  @Test
  void heldPodsMayStillReachTheClusterItself() {
    PodHolds h = holds(List.of(), Fixtures.egress("egress", Encapsulation.GRE));

    assertThat(Cidrs.strings(h.open()))
        .containsExactly(
            "100.64.1.0/24",
            "100.64.2.0/24",
            "100.64.3.0/24",
            "100.70.0.0/16",
            "192.0.2.11",
            "192.0.2.12",
            "192.0.2.13");
  }

  @Test
  void aHoldIsReleasedOnlyForThePodItNamesWithThatAddress() {
    PodInfo known = scraper("scraper-new", "100.64.2.20", UID_NEW, List.of("fd00:10::5"));
    PodHolds h = holds(List.of(known), Fixtures.egress("egress", Encapsulation.GRE));

    List<HeldPod> held =
        List.of(
            new HeldPod("100.64.2.20", UID_NEW), // programmed in this pass
            new HeldPod("fd00:10::5", UID_NEW), // its IPv6 too
            new HeldPod("100.64.2.21", UID_NEW), // not an address the agent knows it by
            new HeldPod("100.64.2.22", "another-uid"), // a pod whose address is unreported yet
            new HeldPod("100.64.2.23", null)); // no comment: nobody to release it for

    assertThat(h.releasable(held))
        .containsExactly(new HeldPod("100.64.2.20", UID_NEW), new HeldPod("fd00:10::5", UID_NEW));
  }

  @Test
  void aRecycledAddressStaysHeldUntilItsNewPodIsKnown() {
    // The old pod (other UID) still holds 100.64.2.20 in the agent's view; the plugin held it for
    // the new one: the hold names the new pod, so the old pod's programming does not release it.
    PodInfo old = scraper("scraper-old", "100.64.2.20", "old-uid", List.of());
    PodHolds h = holds(List.of(old), Fixtures.egress("egress", Encapsulation.GRE));

    assertThat(h.releasable(List.of(new HeldPod("100.64.2.20", UID_NEW)))).isEmpty();
  }

  @Test
  void aHoldLeftOnAnAddressNowOfAnUnguardedNamespacesPodIsReleased() {
    // Fixtures.pods() has other/scraper-x on node-b at 100.64.2.11; "other" has no Tunnel.
    PodHolds h = holds(List.of(), Fixtures.egress("egress", Encapsulation.GRE));

    assertThat(h.releasable(List.of(new HeldPod("100.64.2.11", "a-gone-pod"))))
        .containsExactly(new HeldPod("100.64.2.11", "a-gone-pod"));
  }

  @Test
  void podsBeingDeletedOrOnOtherNodesReleaseNothing() {
    PodInfo terminating =
        new PodInfo(
            "scraping",
            "t",
            Map.of(),
            "100.64.2.30",
            Fixtures.MEMBER,
            false,
            false,
            true,
            List.of(),
            "t-uid");
    PodInfo elsewhere =
        new PodInfo(
            "scraping",
            "e",
            Map.of(),
            "100.64.1.30",
            Fixtures.GW,
            false,
            false,
            false,
            List.of(),
            "e-uid");
    PodHolds h =
        holds(List.of(terminating, elsewhere), Fixtures.egress("egress", Encapsulation.GRE));

    assertThat(
            h.releasable(
                List.of(new HeldPod("100.64.2.30", "t-uid"), new HeldPod("100.64.1.30", "e-uid"))))
        .isEmpty();
  }
}
