package io.tunnelier.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.reconciler.TunnelPlan;

/** Precondition of the peer-config Secret: the Tunnel has its inner addresses. */
public class AddressAssigned implements Condition<Secret, Tunnel> {
  @Override
  public boolean isMet(
      DependentResource<Secret, Tunnel> dependentResource, Tunnel tunnel, Context<Tunnel> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .get(TunnelPlan.class, TunnelPlan.class)
        .map(plan -> plan.assignment().assigned().isPresent())
        .orElse(false);
  }
}
