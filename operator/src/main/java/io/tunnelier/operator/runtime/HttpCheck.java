package io.tunnelier.operator.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The chart's {@code helm test}: GETs each URL given and exits 0 only when every answer is 2xx.
 * Runs in the operator's image, which has a JRE but no shell or curl; needs nothing but {@code
 * java.base}: {@code java -cp /opt/tunnelier/operator.jar io.tunnelier.operator.runtime.HttpCheck
 * URL...}.
 */
public final class HttpCheck {
  /** Milliseconds to connect, and to read the answer. */
  static final int TIMEOUT_MILLIS = 10_000;

  private HttpCheck() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /** 0 when every URL answered 2xx; 1 otherwise (or without URLs), each result printed. */
  public static int run(String[] urls, PrintStream out) {
    if (urls.length == 0) {
      out.println("usage: HttpCheck URL...");
      return 1;
    }
    int failed = 0;
    for (String url : urls) {
      String result;
      try {
        int code = get(url);
        result = code >= 200 && code < 300 ? null : "HTTP " + code;
      } catch (IOException | IllegalArgumentException e) {
        result = e.toString();
      }
      out.println(
          (result == null ? "ok   " : "FAIL ") + url + (result == null ? "" : ": " + result));
      if (result != null) {
        failed++;
      }
    }
    return failed == 0 ? 0 : 1;
  }

  private static int get(String url) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
    connection.setConnectTimeout(TIMEOUT_MILLIS);
    connection.setReadTimeout(TIMEOUT_MILLIS);
    try {
      int code = connection.getResponseCode();
      try (InputStream body =
          code < 400 ? connection.getInputStream() : connection.getErrorStream()) {
        if (body != null) {
          body.readAllBytes();
        }
      }
      return code;
    } finally {
      connection.disconnect();
    }
  }
}
