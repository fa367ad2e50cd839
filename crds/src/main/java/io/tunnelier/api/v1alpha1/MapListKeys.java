package io.tunnelier.api.v1alpha1;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a list as {@code x-kubernetes-list-type: map} keyed by the given fields, so that
 * server-side apply merges entries by key instead of replacing the whole list: every node agent
 * owns its own {@code status.nodes[]} entry. fabric8's crd-generator has no annotation for this, so
 * the CRD build step adds it.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
public @interface MapListKeys {
  String[] value();
}
