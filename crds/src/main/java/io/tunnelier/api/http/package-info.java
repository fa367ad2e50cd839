/**
 * The small plain-text HTTP server the operator ({@code /healthz}, {@code /readyz}, {@code
 * /metrics}) and the agent ({@code /metrics}, {@code /healthz}) answer the kubelet's probes and
 * Prometheus's scrapes on: binding, a small bounded thread pool, request and response time limits,
 * GET/HEAD only, and paths routed to handlers that return a status, a content type and a text body.
 * Each side only registers its routes. Depends on the JDK only ({@code com.sun.net.httpserver}).
 */
package io.tunnelier.api.http;
