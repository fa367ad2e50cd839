package io.tunnelier.operator.dependent;

import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResourceFactory;
import io.tunnelier.operator.reconciler.OperatorSettings;

/** JOSDK's default factory, plus the operator's settings for dependents that need them. */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class SettingsDependentResourceFactory
    implements DependentResourceFactory<ControllerConfiguration<?>, DependentResourceSpec> {
  private final OperatorSettings settings;
  private final NodeAgentUsers users;

  public SettingsDependentResourceFactory(OperatorSettings settings, NodeAgentUsers users) {
    this.settings = settings;
    this.users = users;
  }

  @Override
  public DependentResource createFrom(
      DependentResourceSpec spec, ControllerConfiguration<?> controllerConfiguration) {
    DependentResource dependent =
        DependentResourceFactory.DEFAULT.createFrom(spec, controllerConfiguration);
    if (dependent instanceof UsesOperatorSettings needsSettings) {
      needsSettings.use(settings, users);
    }
    return dependent;
  }
}
