package io.tunnelier.api.peerconfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.List;

/**
 * Reads and writes the standalone config file ({@code peer.yaml}). The operator writes it with
 * {@link #write}; the standalone agent reads it with {@link #parse}, which either returns a config
 * that passed {@link StandaloneConfigValidator} or throws one exception listing every problem by
 * field path, so the agent never starts with (or half-applies) a bad file.
 */
public final class StandaloneConfigParser {
  private static final ObjectMapper MAPPER =
      new ObjectMapper(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  private StandaloneConfigParser() {}

  /**
   * Parses and validates.
   *
   * @param source where the text came from (a file name), for the error message
   */
  public static StandaloneConfig parse(String yaml, String source)
      throws InvalidStandaloneConfigException {
    if (yaml == null) {
      throw new InvalidStandaloneConfigException(source, List.of("the file is empty"));
    }
    StandaloneConfig config;
    try {
      config = MAPPER.readValue(yaml, StandaloneConfig.class);
    } catch (JsonProcessingException e) {
      throw new InvalidStandaloneConfigException(source, List.of(describe(e)));
    }
    if (config == null) {
      throw new InvalidStandaloneConfigException(source, List.of("the file is empty"));
    }
    List<String> problems = StandaloneConfigValidator.validate(config);
    if (!problems.isEmpty()) {
      throw new InvalidStandaloneConfigException(source, problems);
    }
    return config;
  }

  /** The YAML the operator puts into the {@code <name>-peer-config} Secret as peer.yaml. */
  public static String write(StandaloneConfig config) {
    try {
      return MAPPER.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the standalone config", e);
    }
  }

  /** A message that names the field and never echoes the offending value (it may be a key). */
  private static String describe(JsonProcessingException e) {
    String path = e instanceof JsonMappingException m ? path(m.getPath()) : "";
    String where =
        e.getLocation() == null
            ? ""
            : " (line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr()
                + ")";
    if (e instanceof UnrecognizedPropertyException u) {
      return path
          + ": unknown field"
          + where
          + "; known fields here: "
          + String.join(
              ", ", u.getKnownPropertyIds().stream().map(Object::toString).sorted().toList());
    }
    if (e instanceof InvalidFormatException f) {
      return path + ": must be " + expected(f.getTargetType()) + where;
    }
    if (e instanceof MismatchedInputException m) {
      return (path.isEmpty() ? "the file" : path)
          + ": must be "
          + expected(m.getTargetType())
          + where;
    }
    return "not valid YAML" + where;
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type.isEnum()) {
      return "one of "
          + String.join(
              ", ",
              java.util.Arrays.stream(type.getEnumConstants())
                  .map(c -> jsonName((Enum<?>) c))
                  .toList());
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a mapping (" + type.getSimpleName() + ")";
  }

  private static String jsonName(Enum<?> constant) {
    try {
      var annotation =
          constant
              .getDeclaringClass()
              .getField(constant.name())
              .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
      return annotation != null ? annotation.value() : constant.name();
    } catch (NoSuchFieldException e) {
      return constant.name();
    }
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference ref : refs) {
      if (ref.getIndex() >= 0) {
        b.append('[').append(ref.getIndex()).append(']');
      } else if (ref.getFieldName() != null) {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(ref.getFieldName());
      }
    }
    return b.toString();
  }
}
