/**
 * The operator's configuration file (the chart's ConfigMap) and what it says about the agents it
 * renders (AgentConfig): parsed and validated at start, with messages that name the setting.
 * Depends on crds and address.
 */
package io.tunnelier.operator.config;
