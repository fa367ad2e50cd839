package io.tunnelier.operator.gateway;

/** A node that matches the Tunnel's gateway selector, and whether its Ready condition is True. */
public record NodeReadiness(String name, boolean ready) {}
