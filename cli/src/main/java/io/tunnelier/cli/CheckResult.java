package io.tunnelier.cli;

/**
 * One diagnose check's outcome.
 *
 * @param check the check's name, e.g. {@code gateway candidates}
 * @param severity OK, WARN or FAIL
 * @param what what was found, with the names and numbers it was found from
 * @param todo what to do about it; empty for OK
 */
public record CheckResult(String check, Severity severity, String what, String todo) {
  public static CheckResult ok(String check, String what) {
    return new CheckResult(check, Severity.OK, what, "");
  }

  public static CheckResult warn(String check, String what, String todo) {
    return new CheckResult(check, Severity.WARN, what, todo);
  }

  public static CheckResult fail(String check, String what, String todo) {
    return new CheckResult(check, Severity.FAIL, what, todo);
  }
}
