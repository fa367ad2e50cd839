package io.tunnelier.e2e.cluster;

import java.nio.file.Path;

/**
 * The {@code java} that runs Tunnelier's own processes in the lab (agents, datapaths, and the
 * operator when it runs as a process of its own): {@code -Dtunnelier.agent.java=PATH} when given
 * (e2e/bin/bench passes a JDK 25 when the machine has one, as the node-agent and operator images
 * ship a Java 25 runtime), else the JVM running the tests.
 */
public final class AgentJava {
  public static final String PROPERTY = "tunnelier.agent.java";

  private AgentJava() {}

  public static String binary() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
