/**
 * WireGuard's cryptography (whitepaper section 5): the Noise_IKpsk2 handshake, keypairs with their
 * replay window, transport sealing in place, MAC1/MAC2 cookies and the message layouts. No I/O and
 * no clock: time and randomness come in as parameters. The primitives are bouncycastle's or the
 * JDK's, never ours (X25519 through the shared {@code io.tunnelier.api.keys.X25519Keys}); depends
 * on {@code wireguard} only for its {@code Constants}. Secrets are zeroed when dropped, not only
 * unreferenced: a handshake's temporaries at once, its state when it completes or is abandoned, a
 * {@code Keypair}'s keys when it is retired (after the last seal or open in flight), the {@code
 * StaticIdentity} when its tunnel closes.
 */
package io.tunnelier.agent.datapath.wireguard.noise;
