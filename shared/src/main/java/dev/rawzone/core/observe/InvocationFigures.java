package dev.rawzone.core.observe;

import dev.rawzone.core.accounting.Counts;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * One invocation's figures, per dataset, as {@link CountsPublisher} publishes them, and those of records that
 * reached no dataset (failed before they were routed, or found settled by an earlier attempt).
 */
public final class InvocationFigures {
    private final Map<String, DatasetFigures> datasets = new TreeMap<>();
    private final DatasetFigures unrouted = new DatasetFigures(null);

    /** Counts that are not told apart by dataset. */
    public static InvocationFigures of(Counts counts) {
        InvocationFigures figures = new InvocationFigures();
        figures.withoutDataset().add(counts);
        return figures;
    }

    public DatasetFigures dataset(String name) {
        return datasets.computeIfAbsent(name, DatasetFigures::new);
    }

    /** The figures of records in no dataset: published under {@code [service]} alone. */
    public DatasetFigures withoutDataset() {
        return unrouted;
    }

    Collection<DatasetFigures> datasets() {
        return datasets.values();
    }
}
