package io.tunnelier.api.crdgen;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tunnelier.api.v1alpha1.MapListKeys;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.List;

/** Finds the JSON paths of fields annotated with {@link MapListKeys} in the model classes. */
final class MapListPaths {
  private static final String MODEL_PACKAGE = "io.tunnelier.api.";

  record Entry(List<String> path, String[] keys) {}

  private MapListPaths() {}

  static List<Entry> find(String rootName, Class<?> root) {
    List<Entry> found = new ArrayList<>();
    walk(List.of(rootName), root, found);
    return found;
  }

  private static void walk(List<String> path, Class<?> type, List<Entry> found) {
    for (Field field : type.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      List<String> here = new ArrayList<>(path);
      here.add(jsonName(field));
      MapListKeys keys = field.getAnnotation(MapListKeys.class);
      if (keys != null) {
        found.add(new Entry(List.copyOf(here), keys.value()));
      }
      Class<?> element = field.getType();
      if (List.class.isAssignableFrom(element)
          && field.getGenericType() instanceof ParameterizedType generic
          && generic.getActualTypeArguments()[0] instanceof Class<?> item) {
        here.add("[]");
        element = item;
      }
      if (element.getName().startsWith(MODEL_PACKAGE) && !element.isEnum()) {
        walk(here, element, found);
      }
    }
  }

  private static String jsonName(Field field) {
    JsonProperty property = field.getAnnotation(JsonProperty.class);
    return property != null && !property.value().isEmpty() ? property.value() : field.getName();
  }
}
