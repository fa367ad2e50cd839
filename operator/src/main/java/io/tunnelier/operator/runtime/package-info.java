/**
 * A running operator: the JOSDK {@code Operator} with the Tunnel reconciler, its Micrometer
 * registry (JOSDK's, the JVM's and the process's metrics), leader election, and the HTTP endpoints
 * ({@code /healthz}, {@code /readyz}, {@code /metrics}, routes on the shared {@code
 * io.tunnelier.api.http} server). Depends on {@code reconciler}, {@code dependent} and {@code
 * status} (events); nothing but {@code Main} and the tests depend on it.
 */
package io.tunnelier.operator.runtime;
