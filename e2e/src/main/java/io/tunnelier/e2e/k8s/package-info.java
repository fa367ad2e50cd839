/**
 * Installs the Tunnel CRD exactly as users get it (the committed YAML shipped in the crds jar) into
 * a test API server.
 */
package io.tunnelier.e2e.k8s;
