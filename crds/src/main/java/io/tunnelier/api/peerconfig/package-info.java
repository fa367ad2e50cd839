/**
 * The standalone agent's configuration (peer.yaml) and the wg-quick file for a VPS: the model, the
 * parser, and the validator that the operator runs before it renders and the agent runs before it
 * applies, so both refuse the same things with the same words. Depends on net and v1alpha1.
 */
package io.tunnelier.api.peerconfig;
