/**
 * The log line both processes write: SLF4J 2 key-values through TunnelierLogEncoder, logfmt with
 * quoted, escaped values or JSON (TUNNELIER_LOG_FORMAT), set up in code by
 * TunnelierLogConfigurator, and Logfmt, which the plugin's logs command reads them back with.
 * Depends on logback (optional in this module: the processes bring it).
 */
package io.tunnelier.api.logging;
