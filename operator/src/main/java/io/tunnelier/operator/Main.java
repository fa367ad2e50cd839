package io.tunnelier.operator;

/** Entry point of the operator; the reconciler arrives with the operator issue. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("Usage: tunnelier-operator [--help]");
  }
}
