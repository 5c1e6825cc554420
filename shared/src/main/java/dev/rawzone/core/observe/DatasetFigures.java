package dev.rawzone.core.observe;

import dev.rawzone.core.accounting.Counts;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;

/** What one dataset's units came to in an invocation: its counts, what was written, and a function's own figures. */
public final class DatasetFigures {
    record Figure(double value, MetricUnit unit) {
    }

    private final String dataset;
    private Counts counts = Counts.ZERO;
    private WrittenVolume written = WrittenVolume.NONE;
    private final Map<String, Figure> others = new LinkedHashMap<>();

    DatasetFigures(String dataset) {
        this.dataset = dataset;
    }

    public DatasetFigures add(Counts more) {
        counts = counts.plus(more);
        return this;
    }

    public DatasetFigures add(WrittenVolume more) {
        written = written.plus(more);
        return this;
    }

    /** Adds {@code value} to the metric {@code name}. */
    public DatasetFigures sum(String name, double value, MetricUnit unit) {
        return merge(name, value, unit, Double::sum);
    }

    /** Keeps the largest value given for the metric {@code name} (an age: the oldest record's). */
    public DatasetFigures max(String name, double value, MetricUnit unit) {
        return merge(name, value, unit, Math::max);
    }

    private DatasetFigures merge(String name, double value, MetricUnit unit, DoubleBinaryOperator how) {
        others.merge(name, new Figure(value, unit), (was, now) -> new Figure(how.applyAsDouble(was.value, now.value), unit));
        return this;
    }

    public String dataset() {
        return dataset;
    }

    boolean isEmpty() {
        return counts.equals(Counts.ZERO) && written.equals(WrittenVolume.NONE) && others.isEmpty();
    }

    public Counts counts() {
        return counts;
    }

    public WrittenVolume written() {
        return written;
    }

    Map<String, Figure> others() {
        return others;
    }
}
