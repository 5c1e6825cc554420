package dev.rawzone.runner.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;

/**
 * The counts line printed after a response: {@code {"in":..,"written":..,"quarantined":..,"duplicates":..,"failed":..}}
 * with whichever of those the response carries. Where they come from is a list of {@link Source}s tried in order, so a
 * new handler's response shape is one more source:
 * <ol>
 *   <li>top-level fields (the S3 handler's response);</li>
 *   <li>a {@code counts} object (the convention for any later handler);</li>
 *   <li>a partial batch response {@code {"batchItemFailures":[...]}} (a Kinesis handler, which logs its counts):
 *       how many items it reported.</li>
 * </ol>
 */
public final class Counts {
    public static final List<String> KEYS = List.of("in", "written", "quarantined", "duplicates", "failed");

    /** One way to find counts in a response. */
    public interface Source {
        Optional<ObjectNode> counts(JsonNode response);
    }

    static final List<Source> SOURCES = List.of(
            response -> pick(response),
            response -> pick(response.path("counts")),
            response -> {
                JsonNode failures = response.path("batchItemFailures");
                if (!failures.isArray()) {
                    return Optional.empty();
                }
                ObjectNode counts = JsonNodeFactory.instance.objectNode();
                counts.put("batchItemFailures", failures.size());
                return Optional.of(counts);
            });

    private Counts() {}

    /** The counts the response has; an empty object when it has none (or is not JSON). */
    public static ObjectNode of(JsonNode response) {
        if (response != null && response.isObject()) {
            for (Source source : SOURCES) {
                Optional<ObjectNode> found = source.counts(response);
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        return JsonNodeFactory.instance.objectNode();
    }

    private static Optional<ObjectNode> pick(JsonNode node) {
        if (!node.isObject()) {
            return Optional.empty();
        }
        ObjectNode counts = JsonNodeFactory.instance.objectNode();
        for (String key : KEYS) {
            JsonNode value = node.get(key);
            if (value != null && value.isNumber()) {
                counts.set(key, value);
            }
        }
        return counts.isEmpty() ? Optional.empty() : Optional.of(counts);
    }
}
