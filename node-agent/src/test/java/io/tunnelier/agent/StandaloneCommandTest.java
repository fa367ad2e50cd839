package io.tunnelier.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneCommandTest {
  @Test
  void theHostNameIsTheUtsNameReadWithoutALookup(@TempDir Path dir) throws Exception {
    Path uts = dir.resolve("hostname");
    Files.writeString(uts, "vps-nyc-1\n");
    assertThat(StandaloneCommand.hostName(uts)).isEqualTo("vps-nyc-1");
  }

  @Test
  void aMissingOrEmptyNameIsLabelledStandalone(@TempDir Path dir) throws Exception {
    assertThat(StandaloneCommand.hostName(dir.resolve("absent"))).isEqualTo("standalone");
    Path empty = dir.resolve("empty");
    Files.writeString(empty, "\n");
    assertThat(StandaloneCommand.hostName(empty)).isEqualTo("standalone");
  }
}
