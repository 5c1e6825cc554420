package dev.rawzone.benchmarks.suite;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;

/** The median of a figure over the runs and its range (min–max). */
record Spread(double median, double min, double max, int runs) {

    static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(median, sorted[0], sorted[n - 1], n);
    }

    /** {@code median (min–max)}, or the value alone for one run. */
    String format() {
        return runs == 1 ? number(median) : number(median) + " (" + number(min) + "–" + number(max) + ")";
    }

    /** A figure with as many digits as it is worth: 1,234 / 123 / 12.3 / 1.23 / 0.46 / 0.0031. */
    static String number(double value) {
        double magnitude = Math.abs(value);
        if (magnitude >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (magnitude >= 0.1 || value == 0) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return new BigDecimal(value).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }
}
