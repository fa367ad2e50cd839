package io.tunnelier.operator.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads {@link OperatorConfig} from YAML; unknown keys are errors, so typos do not go unseen. */
public final class OperatorConfigFile {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private OperatorConfigFile() {}

  /** Parses the text of a configuration file; an empty text gives the defaults. */
  public static OperatorConfig parse(String yaml) {
    if (yaml == null || yaml.isBlank()) {
      return OperatorConfig.defaults();
    }
    try {
      OperatorConfig config = YAML.readValue(yaml, OperatorConfig.class);
      // The pools and durations were checked as it was built.
      return config == null ? OperatorConfig.defaults() : config;
    } catch (ValueInstantiationException e) {
      // OperatorConfig's own checks (pools, durations) say what is wrong better than Jackson.
      if (e.getCause() instanceof IllegalArgumentException invalid) {
        throw new IllegalArgumentException(invalid.getMessage(), e);
      }
      throw new IllegalArgumentException(
          "invalid operator configuration: " + e.getOriginalMessage(), e);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(
          "unknown key '" + e.getPropertyName() + "' in the operator configuration", e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "invalid operator configuration: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Reads the file; a missing file gives the defaults (the chart always mounts one, a developer
   * running the operator locally may not have it).
   */
  public static OperatorConfig read(Path path) {
    try {
      return parse(Files.readString(path));
    } catch (NoSuchFileException e) {
      return OperatorConfig.defaults();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
