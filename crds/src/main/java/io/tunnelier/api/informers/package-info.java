/**
 * What the operator's and the agents' informers share: {@link PruningItemStore}, a cache that keeps
 * of each object only what its reader uses. Depends on the fabric8 client API only.
 */
package io.tunnelier.api.informers;
