package io.tunnelier.agent;

/** Entry point of the node agent; the modes arrive with the agent issue. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("tunnelier node-agent: modes agent and standalone are not wired yet");
  }
}
