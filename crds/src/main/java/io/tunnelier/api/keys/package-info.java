/**
 * WireGuard's key encoding, shared by the operator (which generates keys and derives addresses from
 * public keys) and the agent (whose datapath does the Diffie-Hellman): X25519 keys as 32 raw bytes,
 * in base64 as {@code wg genkey} and {@code wg pubkey} print them. The arithmetic is
 * bouncycastle's, never ours. Depends on the JDK and bouncycastle only; messages never quote a key.
 */
package io.tunnelier.api.keys;
