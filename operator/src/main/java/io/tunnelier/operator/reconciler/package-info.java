/**
 * The JOSDK reconciler of Tunnels: declares the dependent workflow, assigns addresses, elects the
 * gateway, writes status (StatusWriter) and classifies failures (ReconcileFailures); CleanupGate
 * holds the finalizer until the agents report the tunnel removed. The one package that ties
 * address, gateway, policy, pods, dependent and status together.
 */
package io.tunnelier.operator.reconciler;
