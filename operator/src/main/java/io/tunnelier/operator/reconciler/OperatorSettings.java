package io.tunnelier.operator.reconciler;

import io.tunnelier.operator.config.OperatorConfig;
import java.time.Clock;

/**
 * What every part of a running operator shares: its configuration, the namespace it runs in (where
 * the node agent DaemonSet lives), and the clock.
 */
public record OperatorSettings(OperatorConfig config, String namespace, Clock clock) {}
