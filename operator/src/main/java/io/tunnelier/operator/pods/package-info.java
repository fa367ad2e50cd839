/**
 * {@code status.selectedPods}: a Pod informer that keeps only labels and phase, label selectors as
 * Kubernetes evaluates them, and the count per egress Tunnel (pure). Depends on fabric8 and JOSDK
 * only.
 */
package io.tunnelier.operator.pods;
