/**
 * The kubectl plugin (kubectl tunnelier): status, diagnose, vps-config and logs. Each command reads
 * a Snapshot of the Tunnel, its Secrets, Nodes and agent pods through fabric8, and renders it with
 * pure code (StatusView, Diagnosis, LogFilter), tested without a cluster. Depends on the API in
 * crds (v1alpha1, logging for the agents' log lines) and fabric8 only, never on the operator or the
 * agent.
 */
package io.tunnelier.cli;
