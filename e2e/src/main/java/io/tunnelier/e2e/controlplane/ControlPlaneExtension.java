package io.tunnelier.e2e.controlplane;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the test JVM's one {@link ControlPlane} into test and lifecycle method parameters:
 *
 * <pre>{@code
 * @ExtendWith(ControlPlaneExtension.class)
 * class MyIT {
 *   @Test
 *   void works(ControlPlane controlPlane) {
 *     controlPlane.adminClient().namespaces().list();
 *   }
 * }
 * }</pre>
 *
 * <p>The control plane starts on first use and is shared by all test classes: it is kept in the
 * root context's store, which JUnit closes (stopping it) when the whole test run ends. Tests should
 * therefore work in namespaces of their own.
 */
public final class ControlPlaneExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ControlPlaneExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ControlPlane.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return controlPlane(context);
  }

  /** The shared control plane, started on first call; for extensions built on this one. */
  public static ControlPlane controlPlane(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(ControlPlane.class, key -> ControlPlane.start(), ControlPlane.class);
  }
}
