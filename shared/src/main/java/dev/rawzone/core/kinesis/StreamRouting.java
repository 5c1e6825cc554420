package dev.rawzone.core.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.route.InvalidRoutingException;
import dev.rawzone.core.route.RoutingConfig;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which dataset each stream's records belong to, from a JSON document such as
 * <pre>{"streams":[{"stream":"orders-stream","dataset":"orders"},
 *             {"stream":"events","datasetField":"type","datasets":{"order":"orders","customer":"customers"}}]}</pre>
 * validated like {@link dev.rawzone.core.route.Routing}: unknown fields, bad dataset names and a stream listed twice
 * are refused with the offending entry named. A {@code "stream":"*"} entry takes every stream not listed by name
 * (so one config serves a stream whose name the stack chooses); a record of any other stream is unrouted (quarantined).
 */
public final class StreamRouting {
    public static final String UNROUTED = "unrouted";
    public static final String ANY_STREAM = "*";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> ENTRY_FIELDS = Set.of("stream", "dataset", "datasetField", "datasets");
    private static final int MAX_ECHO = 200;

    private final Map<String, StreamRoute> byStream;

    private StreamRouting(Map<String, StreamRoute> byStream) {
        this.byStream = byStream;
    }

    public static StreamRouting of(List<StreamRoute> routes) {
        Map<String, StreamRoute> byStream = new LinkedHashMap<>();
        for (int i = 0; i < routes.size(); i++) {
            StreamRoute route = routes.get(i);
            if (byStream.putIfAbsent(route.stream(), route) != null) {
                throw new InvalidRoutingException("streams[" + i + "] (stream \"" + route.stream()
                        + "\"): stream listed twice");
            }
        }
        return new StreamRouting(byStream);
    }

    public static StreamRouting parse(String json) {
        JsonNode entries = RoutingConfig.entries(MAPPER, json, "stream routing config", "streams");
        List<StreamRoute> routes = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            routes.add(entry(i, entries.get(i)));
        }
        return of(routes);
    }

    /** Reads and parses the config at a {@link Locations} location ({@code classpath:}, {@code s3://} or a file). */
    public static StreamRouting load(String location, Supplier<S3Client> s3) {
        return RoutingConfig.load(location, s3, "stream routing config", StreamRouting::parse);
    }

    public Optional<StreamRoute> route(String stream) {
        return Optional.ofNullable(byStream.getOrDefault(stream, byStream.get(ANY_STREAM)));
    }

    /** The dataset of a record of {@code stream} ({@code record} is null when its payload was unreadable). */
    public StreamRoute.Resolution resolve(String stream, ObjectNode record) {
        StreamRoute route = route(stream).orElse(null);
        if (route == null) {
            return new StreamRoute.Resolution.Unrouted("no route for stream " + stream + " (routed: "
                    + byStream.keySet() + ")");
        }
        return route.resolve(record);
    }

    public List<StreamRoute> routes() {
        return List.copyOf(byStream.values());
    }

    /** One entry as {@link #parse} reads it (a pinned route read back from a ledger). */
    static StreamRoute route(JsonNode entry) {
        return entry(0, entry);
    }

    private static StreamRoute entry(int index, JsonNode entry) {
        String where = "streams[" + index + "] " + echo(entry);
        if (!entry.isObject()) {
            throw new InvalidRoutingException(where + ": must be an object with \"stream\" and \"dataset\" or "
                    + "\"datasetField\"");
        }
        for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!ENTRY_FIELDS.contains(name)) {
                throw new InvalidRoutingException(where + ": unknown field \"" + name
                        + "\" (allowed: stream, dataset, datasetField, datasets)");
            }
        }
        String stream = text(entry, "stream", where);
        if (stream == null || stream.isBlank()) {
            throw new InvalidRoutingException(where + ": \"stream\" is missing or blank");
        }
        Optional<String> dataset = Optional.ofNullable(text(entry, "dataset", where));
        Optional<String> field = Optional.ofNullable(text(entry, "datasetField", where));
        Map<String, String> datasets = new HashMap<>();
        JsonNode map = entry.get("datasets");
        if (map != null && !map.isNull()) {
            if (!map.isObject()) {
                throw new InvalidRoutingException(where + ": \"datasets\" must be an object of field value -> dataset");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> value = it.next();
                if (!value.getValue().isTextual()) {
                    throw new InvalidRoutingException(where + ": datasets[\"" + value.getKey() + "\"] must be a string");
                }
                datasets.put(value.getKey(), value.getValue().textValue());
            }
        }
        if (field.isPresent() && field.get().isBlank()) {
            throw new InvalidRoutingException(where + ": \"datasetField\" must not be blank");
        }
        if (field.isPresent() && datasets.isEmpty()) {
            throw new InvalidRoutingException(where + ": \"datasetField\" needs a non-empty \"datasets\" map");
        }
        if (field.isEmpty() && !datasets.isEmpty()) {
            throw new InvalidRoutingException(where + ": \"datasets\" needs a \"datasetField\" to look values up by");
        }
        if (dataset.isEmpty() && field.isEmpty()) {
            throw new InvalidRoutingException(where + ": needs \"dataset\", or \"datasetField\" with \"datasets\"");
        }
        try {
            return new StreamRoute(stream, dataset, field, datasets);
        } catch (IllegalArgumentException e) {
            throw new InvalidRoutingException(where + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode entry, String field, String where) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidRoutingException(where + ": \"" + field + "\" must be a string");
        }
        return value.textValue();
    }

    private static String echo(JsonNode entry) {
        String text = entry.toString();
        return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "...";
    }
}
