package dev.rawzone.core.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.pull.PullSource.Auth;
import dev.rawzone.core.pull.PullSource.AuthType;
import dev.rawzone.core.pull.PullSource.Cursor;
import dev.rawzone.core.pull.PullSource.Pagination;
import dev.rawzone.core.pull.PullSource.TimestampFormat;
import dev.rawzone.core.route.Locations;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configured pull sources, parsed from a JSON document (which {@link PullSourcesLocation} reads from SSM, S3,
 * the classpath or a file, as {@link Locations} does). Every field is checked at load, so a typo is a clear error
 * naming the field, not a surprise mid-pull.
 *
 * <pre>{@code
 * {"sources": [{
 *   "name": "contacts", "dataset": "contacts", "endpoint": "https://api.example.com/v1/records",
 *   "auth": {"type": "bearer", "secret": "secretsmanager:rawzone/pull/contacts", "secret_json_key": "token"},
 *   "cursor": {"kind": "timestamp", "field": "updated_at", "param": "updated_since", "lookback": "PT15M"},
 *   "pagination": {"style": "next_token", "param": "page_token", "token_field": "next_page_token"},
 *   "page_size": 500, "page_size_param": "limit", "records_field": "records", "id_field": "id"
 * }]}
 * }</pre>
 */
public final class PullSources {
    private static final int MAX_NAME = 32;
    private static final Duration ONE_MICROSECOND = Duration.of(1, ChronoUnit.MICROS);
    private static final Set<String> SOURCE_FIELDS = Set.of("name", "dataset", "endpoint", "auth", "cursor",
            "pagination", "page_size", "page_size_param", "records_field", "id_field", "date_field", "query",
            "max_attempts", "request_timeout");

    private final List<PullSource> sources;

    public PullSources(List<PullSource> sources) {
        this.sources = List.copyOf(sources);
    }

    public List<PullSource> all() {
        return sources;
    }

    public Optional<PullSource> find(String name) {
        return sources.stream().filter(source -> source.name().equals(name)).findFirst();
    }

    public List<String> names() {
        return sources.stream().map(PullSource::name).toList();
    }

    public static PullSources parse(String json, ObjectMapper mapper) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidPullConfigException("pull sources: not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.path("sources").isArray()) {
            throw new InvalidPullConfigException("pull sources: expected {\"sources\": [ ... ]}");
        }
        List<PullSource> sources = new ArrayList<>();
        for (int i = 0; i < root.get("sources").size(); i++) {
            PullSource source = source(new Node(root.get("sources").get(i), "sources[" + i + "]"));
            if (sources.stream().anyMatch(other -> other.name().equals(source.name()))) {
                throw new InvalidPullConfigException("sources[" + i + "].name: " + source.name() + " is used twice");
            }
            sources.add(source);
        }
        return new PullSources(sources);
    }

    private static PullSource source(Node node) {
        node.onlyFields(SOURCE_FIELDS);
        String name = node.text("name");
        if (name.length() > MAX_NAME || !name.matches("[a-z0-9]([a-z0-9_-]*[a-z0-9])?")) {
            throw node.invalid("name", "use 1-" + MAX_NAME + " characters of a-z, 0-9, _ and -, starting and ending "
                    + "with a letter or digit");
        }
        String dataset = node.text("dataset");
        URI endpoint = endpoint(node);
        Cursor cursor = cursor(node.object("cursor"));
        Optional<Pagination> pagination = node.has("pagination") ? Optional.of(pagination(node.object("pagination")))
                : Optional.empty();
        if (cursor.kind() == CursorKind.PAGE_TOKEN && pagination.isPresent()) {
            throw node.invalid("pagination", "a page_token cursor is its own pagination; leave pagination out");
        }
        if (cursor.kind() != CursorKind.PAGE_TOKEN && pagination.isEmpty()) {
            throw node.invalid("pagination", "required for timestamp and id cursors (next_token, link or offset)");
        }
        int pageSize = node.intOr("page_size", 100);
        if (pageSize < 1 || pageSize > 10_000) {
            throw node.invalid("page_size", "between 1 and 10000");
        }
        Map<String, String> query = new LinkedHashMap<>();
        if (node.has("query")) {
            Node fixed = node.object("query");
            fixed.json.fieldNames().forEachRemaining(field -> query.put(field, fixed.text(field)));
        }
        Optional<String> dateField = node.optionalText("date_field");
        if (dateField.isEmpty() && cursor.kind() == CursorKind.TIMESTAMP) {
            dateField = Optional.of(cursor.field());
        }
        int maxAttempts = node.intOr("max_attempts", 5);
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw node.invalid("max_attempts", "between 1 and 20");
        }
        Duration timeout = node.duration("request_timeout", Duration.ofSeconds(30));
        return new PullSource(name, dataset, endpoint, auth(node.object("auth")), cursor, pagination, pageSize,
                node.textOr("page_size_param", "limit"), node.textOr("records_field", "records"),
                node.textOr("id_field", "id"), dateField, query, maxAttempts, timeout);
    }

    private static URI endpoint(Node node) {
        String text = node.text("endpoint");
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw node.invalid("endpoint", "not a URI: " + e.getMessage());
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw node.invalid("endpoint", "expected https://host/path, without user info or fragment");
        }
        if (uri.getRawQuery() != null) {
            throw node.invalid("endpoint", "put fixed parameters in \"query\", not in the endpoint");
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (!https && !("http".equalsIgnoreCase(uri.getScheme()) && isLoopback(uri.getHost()))) {
            throw node.invalid("endpoint", "must be https (plain http is allowed only on loopback, for local runs)");
        }
        return uri;
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|\\[[0-9a-fA-F:]+]")) {
            return false;
        }
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    private static Auth auth(Node node) {
        node.onlyFields(Set.of("type", "header", "secret", "secret_json_key"));
        AuthType type = node.choice("type", AuthType.class);
        Optional<String> secret = node.optionalText("secret");
        if (type == AuthType.NONE) {
            return new Auth(type, "", Optional.empty(), Optional.empty());
        }
        if (secret.isEmpty()) {
            throw node.invalid("secret", "required: secretsmanager:<secret id> or ssm:<parameter name>");
        }
        if (!secret.get().startsWith(SecretResolver.SECRETS_MANAGER) && !secret.get().startsWith(SecretResolver.SSM)) {
            throw node.invalid("secret", "expected secretsmanager:<secret id> or ssm:<parameter name> (a reference, "
                    + "never the token itself)");
        }
        String header = type == AuthType.BEARER ? "Authorization" : node.text("header");
        if (!header.matches("[A-Za-z0-9-]+")) {
            throw node.invalid("header", "not a header name");
        }
        return new Auth(type, header, secret, node.optionalText("secret_json_key"));
    }

    private static Cursor cursor(Node node) {
        node.onlyFields(Set.of("kind", "field", "param", "format", "inclusive", "precision", "initial", "lookback",
                "has_more_field"));
        CursorKind kind = node.choice("kind", CursorKind.class);
        String field = node.text("field");
        String param = node.text("param");
        TimestampFormat format = node.has("format") ? node.choice("format", TimestampFormat.class) : TimestampFormat.ISO;
        Optional<String> initial = node.optionalText("initial");
        Duration lookback = Duration.ZERO;
        long idLookback = 0;
        boolean inclusive;
        Duration precision = ONE_MICROSECOND;
        switch (kind) {
            case TIMESTAMP -> {
                inclusive = node.boolOr("inclusive", true);
                precision = precision(node, format);
                lookback = node.duration("lookback", Duration.ZERO);
                if (initial.isPresent()) {
                    try {
                        Instant.parse(initial.get());
                    } catch (DateTimeParseException e) {
                        throw node.invalid("initial", "not an ISO-8601 instant");
                    }
                }
            }
            case ID -> {
                inclusive = node.boolOr("inclusive", false);
                if (node.has("lookback")) {
                    if (!node.json.get("lookback").canConvertToLong() || node.json.get("lookback").asLong() < 0) {
                        throw node.invalid("lookback", "for an id cursor, a number of ids (0 or more)");
                    }
                    idLookback = node.json.get("lookback").asLong();
                }
                if (initial.isPresent() && !initial.get().matches("[0-9]{1,18}")) {
                    throw node.invalid("initial", "not a non-negative id");
                }
            }
            default -> {
                inclusive = true;
                if (node.has("lookback")) {
                    throw node.invalid("lookback", "a page_token cursor cannot look back; the token is opaque");
                }
            }
        }
        if (kind != CursorKind.TIMESTAMP && node.has("precision")) {
            throw node.invalid("precision", "only a timestamp cursor has a precision");
        }
        return new Cursor(kind, field, param, format, inclusive, precision, initial, lookback, idLookback,
                node.optionalText("has_more_field"));
    }

    /** The step of a timestamp bound: fixed by an epoch format, an ISO duration of whole microseconds for iso. */
    private static Duration precision(Node node, TimestampFormat format) {
        if (format != TimestampFormat.ISO) {
            if (node.has("precision")) {
                throw node.invalid("precision", "an " + format.name().toLowerCase(Locale.ROOT) + " bound is whole "
                        + (format == TimestampFormat.EPOCH_MILLIS ? "milliseconds" : "seconds")
                        + "; precision is for the iso format");
            }
            return format == TimestampFormat.EPOCH_MILLIS ? Duration.ofMillis(1) : Duration.ofSeconds(1);
        }
        Duration precision = node.duration("precision", ONE_MICROSECOND);
        if (precision.isZero() || precision.toNanos() % 1000 != 0 || precision.compareTo(Duration.ofDays(1)) > 0) {
            throw node.invalid("precision", "a whole number of microseconds from PT0.000001S to P1D, such as "
                    + "PT0.001S for an API that reads its bound in milliseconds");
        }
        return precision;
    }

    private static Pagination pagination(Node node) {
        node.onlyFields(Set.of("style", "param", "token_field", "has_more_field"));
        PaginationStyle style = node.choice("style", PaginationStyle.class);
        return switch (style) {
            case NEXT_TOKEN -> new Pagination(style, node.text("param"), node.text("token_field"),
                    node.optionalText("has_more_field"));
            case OFFSET -> new Pagination(style, node.textOr("param", "offset"), "", node.optionalText("has_more_field"));
            case LINK -> new Pagination(style, "", "", Optional.empty());
        };
    }

    /** A JSON object with its path, for messages that name the field. */
    private static final class Node {
        final JsonNode json;
        final String path;

        Node(JsonNode json, String path) {
            if (json == null || !json.isObject()) {
                throw new InvalidPullConfigException(path + ": expected an object");
            }
            this.json = json;
            this.path = path;
        }

        boolean has(String field) {
            return json.has(field) && !json.get(field).isNull();
        }

        void onlyFields(Set<String> known) {
            for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!known.contains(name)) {
                    throw new InvalidPullConfigException(path + "." + name + ": unknown field (known: "
                            + String.join(", ", known.stream().sorted().toList()) + ")");
                }
            }
        }

        Node object(String field) {
            if (!has(field)) {
                throw invalid(field, "required");
            }
            return new Node(json.get(field), path + "." + field);
        }

        String text(String field) {
            JsonNode value = json.get(field);
            if (value == null || !value.isTextual() || value.textValue().isBlank()) {
                throw invalid(field, "required, a non-empty string");
            }
            return value.textValue();
        }

        String textOr(String field, String fallback) {
            return has(field) ? text(field) : fallback;
        }

        Optional<String> optionalText(String field) {
            return has(field) ? Optional.of(text(field)) : Optional.empty();
        }

        int intOr(String field, int fallback) {
            if (!has(field)) {
                return fallback;
            }
            if (!json.get(field).canConvertToInt() || !json.get(field).isIntegralNumber()) {
                throw invalid(field, "expected an integer");
            }
            return json.get(field).intValue();
        }

        boolean boolOr(String field, boolean fallback) {
            if (!has(field)) {
                return fallback;
            }
            if (!json.get(field).isBoolean()) {
                throw invalid(field, "expected true or false");
            }
            return json.get(field).booleanValue();
        }

        Duration duration(String field, Duration fallback) {
            if (!has(field)) {
                return fallback;
            }
            try {
                Duration duration = Duration.parse(text(field));
                if (duration.isNegative()) {
                    throw invalid(field, "must not be negative");
                }
                return duration;
            } catch (DateTimeParseException e) {
                throw invalid(field, "expected an ISO-8601 duration such as PT15M");
            }
        }

        <E extends Enum<E>> E choice(String field, Class<E> type) {
            String value = text(field);
            try {
                return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                List<String> names = new ArrayList<>();
                for (E constant : type.getEnumConstants()) {
                    names.add(constant.name().toLowerCase(Locale.ROOT));
                }
                throw invalid(field, "expected one of " + String.join(", ", names) + ", got " + value);
            }
        }

        InvalidPullConfigException invalid(String field, String problem) {
            return new InvalidPullConfigException(path + "." + field + ": " + problem);
        }
    }
}
