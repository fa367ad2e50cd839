/**
 * Inner addresses: the /31 pairs an egress Tunnel gets from the pool (AddressAllocator, stable
 * across restarts, never shared), the pair both clusters of a site-to-site tunnel derive from their
 * public keys (KeyDerivedPair, pure), and the pool settings (AddressPool). Depends on net, keys and
 * v1alpha1 in crds.
 */
package io.tunnelier.operator.address;
