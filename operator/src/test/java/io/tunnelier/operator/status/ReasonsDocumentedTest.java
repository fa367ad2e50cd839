package io.tunnelier.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every reason the operator can write has its row in docs/status.md, so the docs keep up. */
class ReasonsDocumentedTest {
  private static final Set<String> CONDITION_TYPES = Set.of("Ready", "Degraded", "Progressing");

  @Test
  void everyReasonHasARowInStatusMd() throws IOException, IllegalAccessException {
    // Maven runs module tests from the module directory.
    String doc = Files.readString(Path.of("..", "docs", "status.md"));
    List<String> missing = new ArrayList<>();
    for (Field f : TunnelConditions.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        String reason = (String) f.get(null);
        if (!CONDITION_TYPES.contains(reason) && !doc.contains("| `" + reason + "` |")) {
          missing.add(reason);
        }
      }
    }
    assertThat(missing).as("reasons without a row in docs/status.md").isEmpty();
  }
}
