package io.tunnelier.agent.probe;

import io.tunnelier.agent.plan.Capabilities;

/** Finds out what the node's kernel offers; run once at start. */
public interface CapabilityProbe {
  Capabilities probe();
}
