/**
 * IP addresses and prefixes of both families, one type for the API, the operator and the agent.
 * Parsing is strict and never resolves names, so it is safe on untrusted input; text output is
 * canonical (dotted quad, RFC 5952 for IPv6), what {@code ip} and {@code nft} print back. Depends
 * on the JDK only.
 */
package io.tunnelier.api.net;
