/**
 * The Tunnel custom resource: spec and status classes the CRD YAML is generated from (validation in
 * annotations and CEL rules), the agent's condition names (NodeConditions) and the special address
 * ranges the API refuses. Depends on fabric8's model and generator annotations only.
 */
package io.tunnelier.api.v1alpha1;
