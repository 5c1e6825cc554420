package dev.rawzone.core.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Which dataset an object belongs to: the route with the longest prefix of the object key wins. Built from a
 * JSON document such as
 * <pre>{"routes":[{"prefix":"orders/","dataset":"orders"},
 *            {"prefix":"orders/eu/","dataset":"orders_eu","format":"csv"}]}</pre>
 * Keys are matched as given, so S3 event keys must be URL-decoded first.
 */
public final class Routing {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> ENTRY_FIELDS = Set.of("prefix", "dataset", "format");
    private static final int MAX_ENTRY_ECHO = 200;

    private final List<Route> routes;
    private final List<Route> longestFirst;

    private Routing(List<Route> routes) {
        this.routes = List.copyOf(routes);
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort(Comparator.comparingInt((Route route) -> route.prefix().length()).reversed());
        this.longestFirst = List.copyOf(sorted);
    }

    /**
     * Routing over the given routes.
     *
     * @throws InvalidRoutingException when two routes share a prefix
     */
    public static Routing of(List<Route> routes) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < routes.size(); i++) {
            Route route = Objects.requireNonNull(routes.get(i), "route");
            Integer earlier = seen.putIfAbsent(route.prefix(), i);
            if (earlier != null) {
                throw new InvalidRoutingException("routes[" + i + "] (prefix \"" + route.prefix()
                        + "\"): duplicate prefix, already used by routes[" + earlier + "]");
            }
        }
        return new Routing(routes);
    }

    /**
     * Parses and validates a routing config: a {@code routes} array, each entry with a non-empty
     * {@code prefix}, a {@code dataset} matching {@code [a-z0-9_]{1,64}}, an optional {@code format}
     * ({@code "jsonl"} or {@code "csv"}), no other fields, and no prefix used twice.
     *
     * @throws InvalidRoutingException naming the bad entry
     */
    public static Routing parse(String json) {
        Objects.requireNonNull(json, "json");
        JsonNode entries = RoutingConfig.entries(MAPPER, json, "routing config", "routes");
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            routes.add(entry(i, entries.get(i)));
        }
        return of(routes);
    }

    /**
     * Reads the config at {@code location} ({@code classpath:<resource>}, {@code s3://bucket/key} or a file path)
     * and parses it.
     *
     * @param s3 asked for a client only for an S3 location
     * @throws InvalidRoutingException when the config is invalid (the message names the location and the entry)
     * @throws IllegalArgumentException when nothing is at the location
     */
    public static Routing load(String location, Supplier<S3Client> s3) {
        return RoutingConfig.load(location, s3, "routing config", Routing::parse);
    }

    /** The route with the longest prefix of {@code key}, if any. */
    public Optional<Route> route(String key) {
        Objects.requireNonNull(key, "key");
        for (Route route : longestFirst) {
            if (route.matches(key)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    /** The routes in config order. */
    public List<Route> routes() {
        return routes;
    }

    private static Route entry(int index, JsonNode entry) {
        String where = "routes[" + index + "] " + echo(entry);
        if (!entry.isObject()) {
            throw new InvalidRoutingException(where + ": must be an object with \"prefix\" and \"dataset\"");
        }
        for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!ENTRY_FIELDS.contains(name)) {
                throw new InvalidRoutingException(where + ": unknown field \"" + name
                        + "\" (allowed: prefix, dataset, format)");
            }
        }
        String prefix = text(entry, "prefix", where, true);
        String dataset = text(entry, "dataset", where, true);
        String format = text(entry, "format", where, false);
        if (prefix.isEmpty()) {
            throw new InvalidRoutingException(where + ": prefix must not be empty");
        }
        if (prefix.startsWith("/")) {
            throw new InvalidRoutingException(where + ": prefix must not start with '/' (S3 keys have no leading slash)");
        }
        if (!Route.isDatasetName(dataset)) {
            throw new InvalidRoutingException(where + ": dataset \"" + dataset + "\" must match "
                    + Route.DATASET_NAME.pattern());
        }
        if (format != null && !Route.FORMATS.contains(format)) {
            throw new InvalidRoutingException(where + ": format \"" + format + "\" must be \"jsonl\" or \"csv\"");
        }
        return new Route(prefix, dataset, Optional.ofNullable(format));
    }

    private static String text(JsonNode entry, String field, String where, boolean required) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidRoutingException(where + ": \"" + field + "\" is missing");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidRoutingException(where + ": \"" + field + "\" must be a string");
        }
        return value.textValue();
    }

    private static String echo(JsonNode entry) {
        String text = entry.toString();
        return text.length() <= MAX_ENTRY_ECHO ? text : text.substring(0, MAX_ENTRY_ECHO) + "...";
    }
}
