package io.tunnelier.e2e.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Repeated measurements of one figure: median with min–max, never a mean of noisy runs. */
public record Samples(double[] values) {
  public static final Samples NONE = new Samples(new double[0]);

  public static Samples of(List<Double> values) {
    return new Samples(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  public boolean isEmpty() {
    return values.length == 0;
  }

  public double median() {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /** The value below which {@code p} (0..1) of the samples lie (nearest rank). */
  public double percentile(double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(p * s.length);
    return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
  }

  public double min() {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  public double max() {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }

  /** "12.3 (11.0–13.9)", with {@code decimals} after the point; "-" when empty. */
  public String format(int decimals) {
    if (values.length == 0) {
      return "-";
    }
    String f = "%." + decimals + "f";
    return String.format(Locale.ROOT, f + " (" + f + "–" + f + ")", median(), min(), max());
  }

  @Override
  public String toString() {
    return format(2);
  }
}
