package io.tunnelier.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.nft.FakeHoldTable;
import io.tunnelier.agent.nft.HoldScript;
import io.tunnelier.agent.plan.PodHolds;
import io.tunnelier.api.net.Cidr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CNI plugin's holds kept in line: table, file, releases, removal. */
class PodHoldSyncTest {
  static final String NEW = "0b1c2d3e-aaaa-bbbb-cccc-1234567890ab";

  @TempDir Path dir;
  final FakeHoldTable table = new FakeHoldTable();

  PodHoldSync sync(boolean enabled) {
    return new PodHoldSync(table, new GuardedNamespacesFile(dir), enabled);
  }

  static PodHolds guarding(Map<String, Set<String>> programmed) {
    return new PodHolds(
        new TreeSet<>(List.of("scraping", "team-b")),
        List.of(Cidr.parse("100.64.0.0/16"), Cidr.parse("192.0.2.11/32")),
        programmed,
        Set.of("100.64.2.11"));
  }

  String file() throws Exception {
    return Files.readString(dir.resolve(GuardedNamespacesFile.NAME));
  }

  @Test
  void writesTheTableThenTheNamespacesThePluginHolds() throws Exception {
    assertThat(sync(true).sync(guarding(Map.of()), true).error()).isNull();

    assertThat(table.exists()).isTrue();
    assertThat(table.rules()).containsExactly(HoldScript.RULE_IPV4, HoldScript.RULE_IPV6);
    assertThat(table.elements("open4")).containsOnlyKeys("100.64.0.0/16", "192.0.2.11");
    assertThat(file()).endsWith("\nscraping\nteam-b\n").startsWith("# Written by the Tunnelier");
  }

  @Test
  void releasesAHoldOnceThePodIsProgrammedAndKeepsTheOthers() throws Exception {
    PodHoldSync s = sync(true);
    s.sync(guarding(Map.of()), true);
    table.hold("100.64.2.20", NEW);
    table.hold("fd00:10::5", NEW);
    table.hold("100.64.2.21", "unknown-yet");

    s.sync(guarding(Map.of(NEW, Set.of("100.64.2.20", "fd00:10::5"))), true);

    assertThat(table.elements(HoldScript.HELD4)).containsOnlyKeys("100.64.2.21");
    assertThat(table.elements(HoldScript.HELD6)).isEmpty();
  }

  @Test
  void nothingIsReleasedByAPassWhoseNftablesTransactionFailed() throws Exception {
    PodHoldSync s = sync(true);
    s.sync(guarding(Map.of()), true);
    table.hold("100.64.2.20", NEW);

    s.sync(guarding(Map.of(NEW, Set.of("100.64.2.20"))), false);

    assertThat(table.elements(HoldScript.HELD4)).containsOnlyKeys("100.64.2.20");
  }

  @Test
  void theStructureIsRewrittenWithoutLosingHoldsOnlyWhenItChangedOrWasEdited() throws Exception {
    PodHoldSync s = sync(true);
    s.sync(guarding(Map.of()), true);
    table.hold("100.64.2.20", NEW);
    int transactions = table.applied().size();

    s.sync(guarding(Map.of()), true);
    assertThat(table.applied()).as("nothing changed: no transaction").hasSize(transactions);

    table.apply("flush chain inet tunnelier_cni forward\n"); // edited behind the agent's back
    s.sync(guarding(Map.of()), true);
    assertThat(table.rules()).containsExactly(HoldScript.RULE_IPV4, HoldScript.RULE_IPV6);
    assertThat(table.elements(HoldScript.HELD4)).containsEntry("100.64.2.20", NEW);

    PodHolds moreOpen =
        new PodHolds(
            new TreeSet<>(List.of("scraping")),
            List.of(Cidr.parse("100.64.0.0/16"), Cidr.parse("192.0.2.12/32")),
            Map.of(),
            Set.of());
    s.sync(moreOpen, true);
    assertThat(table.elements("open4")).containsOnlyKeys("100.64.0.0/16", "192.0.2.12");
    assertThat(table.elements(HoldScript.HELD4)).containsEntry("100.64.2.20", NEW);
    assertThat(file()).endsWith("\nscraping\n");
  }

  @Test
  void withNothingToGuardOrTheFeatureOffFileAndTableGo() throws Exception {
    PodHoldSync s = sync(true);
    s.sync(guarding(Map.of()), true);
    table.hold("100.64.2.20", NEW);

    PodHolds none = new PodHolds(new TreeSet<>(), List.of(), Map.of(), Set.of());
    assertThat(s.sync(none, true).error()).isNull();
    assertThat(dir.resolve(GuardedNamespacesFile.NAME)).doesNotExist();
    assertThat(table.exists()).isFalse();

    s.sync(guarding(Map.of()), true);
    assertThat(sync(false).sync(guarding(Map.of()), true).error()).isNull();
    assertThat(dir.resolve(GuardedNamespacesFile.NAME)).doesNotExist();
    assertThat(table.exists()).isFalse();
  }

  @Test
  void aRefusedTransactionIsReportedAndTheNextPassPutsItRight() throws Exception {
    PodHoldSync s = sync(true);
    table.failNext("Error: Could not process rule: Operation not permitted");

    assertThat(s.sync(guarding(Map.of()), true).error()).contains("Operation not permitted");
    assertThat(dir.resolve(GuardedNamespacesFile.NAME))
        .as("no namespace is announced before its holds can be written")
        .doesNotExist();

    assertThat(s.sync(guarding(Map.of()), true).error()).isNull();
    assertThat(table.exists()).isTrue();
    assertThat(file()).contains("scraping");
  }

  @Test
  void aRestartedAgentAdoptsTheTableItLeft() throws Exception {
    sync(true).sync(guarding(Map.of()), true);
    table.hold("100.64.2.20", NEW);
    int transactions = table.applied().size();

    assertThat(sync(true).sync(guarding(Map.of()), true).error()).isNull();

    assertThat(table.applied()).as("no rewrite: counters kept").hasSize(transactions);
    assertThat(table.elements(HoldScript.HELD4)).containsEntry("100.64.2.20", NEW);
  }

  @Test
  void theHoldRulesCountersAreReadWithTheTable() throws Exception {
    PodHoldSync s = sync(true);
    s.sync(guarding(Map.of()), true);
    table.setDropped(HoldScript.RULE_IPV4, 7);

    s.sync(guarding(Map.of()), true);

    assertThat(s.droppedPackets()).containsEntry(HoldScript.RULE_IPV4, 7L);
  }

  @Test
  void thePluginIsChainedWhileANamespaceIsGuardedAndTakenOutAfter() throws Exception {
    Path conf = Files.createDirectories(dir.resolve("net.d"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path plugin = Files.writeString(dir.resolve("tunnelier-cni"), "#!plugin");
    Files.writeString(
        conf.resolve("10-flannel.conflist"),
        "{\"name\":\"cbr0\",\"cniVersion\":\"0.3.1\",\"plugins\":[{\"type\":\"flannel\"}]}");
    PodHoldSync s =
        new PodHoldSync(
            table,
            new GuardedNamespacesFile(dir),
            true,
            new CniChain(plugin, bin, conf, dir.resolve(GuardedNamespacesFile.NAME)));

    assertThat(s.sync(guarding(Map.of()), true).error()).isNull();
    assertThat(Files.readString(conf.resolve("10-flannel.conflist"))).contains("tunnelier-cni");
    assertThat(bin.resolve("tunnelier-cni")).exists();

    assertThat(s.sync(new PodHolds(new TreeSet<>(), List.of(), Map.of(), Set.of()), true).error())
        .isNull();
    assertThat(Files.readString(conf.resolve("10-flannel.conflist"))).doesNotContain("tunnelier");
    assertThat(bin.resolve("tunnelier-cni")).doesNotExist();
    assertThat(table.exists()).isFalse();
  }

  @Test
  void aConfigurationThatCannotTakeThePluginIsReportedNotFailed() throws Exception {
    Path conf = Files.createDirectories(dir.resolve("net.d"));
    Files.writeString(
        conf.resolve("10-bridge.conf"), "{\"cniVersion\":\"0.4.0\",\"type\":\"bridge\"}");
    Path plugin = Files.writeString(dir.resolve("tunnelier-cni"), "#!plugin");
    PodHoldSync s =
        new PodHoldSync(
            table,
            new GuardedNamespacesFile(dir),
            true,
            new CniChain(
                plugin,
                Files.createDirectories(dir.resolve("bin")),
                conf,
                dir.resolve(GuardedNamespacesFile.NAME)));

    PodHoldSync.Outcome outcome = s.sync(guarding(Map.of()), true);

    assertThat(outcome.error()).isNull();
    assertThat(outcome.chainProblem()).contains("10-bridge.conf is a single-plugin configuration");
    assertThat(table.exists()).as("the holds are there for when it can be chained").isTrue();
  }
}
