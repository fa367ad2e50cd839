/**
 * WireGuard keys in the operator: generate an X25519 keypair, derive a public key, decode one, in
 * WireGuard's base64 form (bouncycastle's arithmetic). Depends on nothing of the operator.
 */
package io.tunnelier.operator.keys;
