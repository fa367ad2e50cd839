/**
 * The objects a Tunnel wants, one JOSDK dependent resource each: the {@code <name>-keys} and {@code
 * <name>-peer-config} Secrets, the {@code <name>-peer-config-<peer>} Secrets of its backup peers
 * (one bulk dependent) and the shared node agent DaemonSet. Each {@code *Spec} is the pure desired
 * object; the dependents add ownership, ordering and when to delete. Depends on {@code keys},
 * {@code peer}, {@code reconciler} (settings), {@code status}, {@code config} and {@code Labels}.
 */
package io.tunnelier.operator.dependent;
