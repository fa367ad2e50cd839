package io.tunnelier.api.crdgen;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the JSON paths of model fields carrying a given annotation, walking the model classes the
 * way the CRD schema nests them ({@code "[]"} steps into list items).
 */
final class AnnotatedPaths {
  private static final String MODEL_PACKAGE = "io.tunnelier.api.";

  record Entry<A extends Annotation>(List<String> path, A annotation) {}

  private AnnotatedPaths() {}

  static <A extends Annotation> List<Entry<A>> find(
      String rootName, Class<?> root, Class<A> annotation) {
    List<Entry<A>> found = new ArrayList<>();
    walk(List.of(rootName), root, annotation, found);
    return found;
  }

  private static <A extends Annotation> void walk(
      List<String> path, Class<?> type, Class<A> annotation, List<Entry<A>> found) {
    for (Field field : type.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      List<String> here = new ArrayList<>(path);
      here.add(jsonName(field));
      A marker = field.getAnnotation(annotation);
      if (marker != null) {
        found.add(new Entry<>(List.copyOf(here), marker));
      }
      Class<?> element = field.getType();
      if (List.class.isAssignableFrom(element)
          && field.getGenericType() instanceof ParameterizedType generic
          && generic.getActualTypeArguments()[0] instanceof Class<?> item) {
        here.add("[]");
        element = item;
      }
      if (element.getName().startsWith(MODEL_PACKAGE) && !element.isEnum()) {
        walk(here, element, annotation, found);
      }
    }
  }

  private static String jsonName(Field field) {
    JsonProperty property = field.getAnnotation(JsonProperty.class);
    return property != null && !property.value().isEmpty() ? property.value() : field.getName();
  }
}
