/**
 * WireGuard's cryptography (whitepaper section 5): the Noise_IKpsk2 handshake, keypairs with their
 * replay window, transport sealing in place, MAC1/MAC2 cookies and the message layouts. No I/O and
 * no clock: time and randomness come in as parameters. The primitives are bouncycastle's or the
 * JDK's, never ours (X25519 through the shared {@code io.tunnelier.api.keys.X25519Keys}); depends
 * on {@code wireguard} only for its {@code Constants}.
 */
package io.tunnelier.agent.datapath.wireguard.noise;
