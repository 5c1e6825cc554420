package dev.rawzone.core.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.route.Route;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which dataset the records of one stream belong to: always {@code dataset}, or the dataset that the value of the
 * record's top-level {@code datasetField} maps to in {@code datasets} (falling back to {@code dataset} when the
 * field is absent or its value is not mapped, if a fallback is set).
 */
public record StreamRoute(String stream, Optional<String> dataset, Optional<String> datasetField,
                          Map<String, String> datasets) {

    public StreamRoute {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(datasetField, "datasetField");
        datasets = Map.copyOf(datasets);
        if (stream.isBlank()) {
            throw new IllegalArgumentException("stream must not be blank");
        }
        if (dataset.isEmpty() && datasetField.isEmpty()) {
            throw new IllegalArgumentException("a stream route needs a dataset, a datasetField, or both");
        }
        if (datasetField.isPresent() != !datasets.isEmpty()) {
            throw new IllegalArgumentException("datasetField and a non-empty datasets map go together");
        }
        dataset.ifPresent(StreamRoute::requireDatasetName);
        datasets.values().forEach(StreamRoute::requireDatasetName);
    }

    public static StreamRoute fixed(String stream, String dataset) {
        return new StreamRoute(stream, Optional.of(dataset), Optional.empty(), Map.of());
    }

    /** The dataset of a record, or empty with no record (an unreadable payload) on a field-routed stream. */
    public Resolution resolve(ObjectNode record) {
        if (datasetField.isEmpty()) {
            return new Resolution.Dataset(dataset.orElseThrow());
        }
        String field = datasetField.get();
        if (record == null) {
            return dataset.<Resolution>map(Resolution.Dataset::new)
                    .orElseGet(() -> new Resolution.Unrouted("stream " + stream + " routes by field \"" + field
                            + "\", and the payload could not be read"));
        }
        JsonNode value = record.get(field);
        if (value != null && value.isTextual() && datasets.containsKey(value.textValue())) {
            return new Resolution.Dataset(datasets.get(value.textValue()));
        }
        if (dataset.isPresent()) {
            return new Resolution.Dataset(dataset.get());
        }
        String what = value == null || value.isNull() ? "is missing"
                : value.isTextual() ? "value \"" + echo(value.textValue()) + "\" maps to no dataset (known: "
                + datasets.keySet().stream().sorted().toList() + ")"
                : "is not a string";
        return new Resolution.Unrouted("stream " + stream + ": routing field \"" + field + "\" " + what);
    }

    /** The outcome of routing one record. */
    public sealed interface Resolution permits Resolution.Dataset, Resolution.Unrouted {
        record Dataset(String name) implements Resolution {
        }

        record Unrouted(String reason) implements Resolution {
        }
    }

    private static void requireDatasetName(String name) {
        if (!Route.isDatasetName(name)) {
            throw new IllegalArgumentException("dataset \"" + name + "\" must match " + Route.DATASET_NAME.pattern());
        }
    }

    private static String echo(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
