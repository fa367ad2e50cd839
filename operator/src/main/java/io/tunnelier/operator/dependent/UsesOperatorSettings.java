package io.tunnelier.operator.dependent;

import io.tunnelier.operator.reconciler.OperatorSettings;

/**
 * A dependent that needs the running operator's settings. JOSDK creates dependents from their
 * classes; {@link SettingsDependentResourceFactory} hands them the settings right after.
 */
public interface UsesOperatorSettings {
  void use(OperatorSettings settings, NodeAgentUsers users);
}
