package dev.rawzone.runner.invoke;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 *   <li>a partial batch response {@code {"batchItemFailures":[...]}} (a Kinesis handler, whose response must stay
 *       a pure partial batch response): the counts of its last log line that had a {@code counts} object, with
 *       how many items it reported.</li>
 * </ol>
 */
public final class Counts {
    public static final List<String> KEYS = List.of("in", "written", "quarantined", "duplicates", "failed");

    /** One way to find counts in a response. */
    public interface Source {
        Optional<ObjectNode> counts(JsonNode response);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private Counts() {}

    /** The counts the response has; an empty object when it has none (or is not JSON). */
    public static ObjectNode of(JsonNode response) {
        return of(response, null);
    }

    /** As {@link #of(JsonNode)}, with the counts the function logged for a response that cannot carry them. */
    public static ObjectNode of(JsonNode response, JsonNode loggedCounts) {
        if (response != null && response.isObject()) {
            for (Source source : sources(loggedCounts)) {
                Optional<ObjectNode> found = source.counts(response);
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        return JsonNodeFactory.instance.objectNode();
    }

    /** The {@code counts} object of a JSON log line, if it has one. */
    public static Optional<JsonNode> loggedIn(String line) {
        if (!line.startsWith("{") || !line.contains("\"counts\"")) {
            return Optional.empty();
        }
        try {
            JsonNode counts = JSON.readTree(line).path("counts");
            return counts.isObject() ? Optional.of(counts) : Optional.empty();
        } catch (JsonProcessingException notJson) {
            return Optional.empty();
        }
    }

    private static List<Source> sources(JsonNode loggedCounts) {
        return List.of(
                response -> pick(response),
                response -> pick(response.path("counts")),
                response -> {
                    JsonNode failures = response.path("batchItemFailures");
                    if (!failures.isArray()) {
                        return Optional.empty();
                    }
                    ObjectNode counts = loggedCounts == null ? JsonNodeFactory.instance.objectNode()
                            : pick(loggedCounts).orElseGet(JsonNodeFactory.instance::objectNode);
                    counts.put("batchItemFailures", failures.size());
                    return Optional.of(counts);
                });
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
