package io.tunnelier.api.v1alpha1;

import io.fabric8.generator.annotation.ValidationRule;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Schema for each item of a list of strings: a length bound (which keeps CEL rules within the API
 * server's cost budget) and CEL rules evaluated per item, so errors name the offending index.
 * fabric8's crd-generator has no annotation for item schemas, so the CRD build step adds it.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
public @interface ListItems {
  long maxLength();

  ValidationRule[] rules() default {};
}
