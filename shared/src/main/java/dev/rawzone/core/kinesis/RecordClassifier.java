package dev.rawzone.core.kinesis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.read.RecordText;
import dev.rawzone.core.read.StrictJson;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.UnknownDatasetException;
import dev.rawzone.core.validate.Validation;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Decodes, routes and validates one user record into a {@link Verdict}, with no I/O once the dataset's schemas
 * are loaded. Everything wrong with the record itself (not JSON, not an object, duplicate keys, no route, unknown
 * dataset, schema violations) is a {@link Verdict.Reject}; only an infrastructure problem (schemas unreadable or
 * refused) is thrown, and then the record fails for retry.
 * <p>
 * A JSON object keeps its payload's own bytes as the text to store ({@link RecordText}: whitespace around it, a
 * leading byte order mark and line breaks between its tokens left out, nothing else changed). A payload must be
 * UTF-8; one with a duplicate key is rejected, numbers of any size are kept as sent ({@link StrictJson}).
 */
public final class RecordClassifier {
    private final StreamRouting routing;
    private final RecordValidator validator;

    public RecordClassifier(StreamRouting routing, RecordValidator validator) {
        this.routing = routing;
        this.validator = validator;
    }

    /** With the routing and schemas this container has now. */
    public Verdict classify(UserRecord user) {
        return classify(user, current(user.source().streamName()));
    }

    /** The configuration this container has now for the records of {@code stream}. */
    ShardConfig current(String stream) {
        Optional<StreamRoute> route = routing.route(stream);
        Map<String, Integer> versions = new TreeMap<>();
        route.ifPresent(r -> {
            r.dataset().ifPresent(dataset -> versions.put(dataset, validator.currentVersionOrZero(dataset)));
            r.datasets().values().forEach(dataset -> versions.put(dataset, validator.currentVersionOrZero(dataset)));
        });
        return new ShardConfig(route, versions);
    }

    /** As a range pinned to {@code config} decides: its route, and no schema version newer than it names. */
    Verdict classify(UserRecord user, ShardConfig config) {
        String stream = user.source().streamName();
        if (user.unreadable().isPresent()) {
            return new Verdict.Reject(datasetOf(config, null), user.unreadable().get(), Verdict.NO_VERSION, null);
        }
        Decoded decoded = decode(user.data());
        StreamRoute.Resolution resolution = config.route().<StreamRoute.Resolution>map(r -> r.resolve(decoded.record()))
                .orElseGet(() -> new StreamRoute.Resolution.Unrouted("no route for stream " + stream));
        if (decoded.record() == null) {
            String dataset = resolution instanceof StreamRoute.Resolution.Dataset d ? d.name() : StreamRouting.UNROUTED;
            return new Verdict.Reject(dataset, decoded.problem(), Verdict.NO_VERSION, null);
        }
        if (resolution instanceof StreamRoute.Resolution.Unrouted unrouted) {
            return new Verdict.Reject(StreamRouting.UNROUTED, unrouted.reason(), Verdict.NO_VERSION, decoded.text());
        }
        String dataset = ((StreamRoute.Resolution.Dataset) resolution).name();
        int version = config.versions().getOrDefault(dataset, 0);
        if (version == 0) {
            return new Verdict.Reject(dataset, "unknown dataset " + dataset + ": it had no schema when this range of"
                    + " the shard was started", Verdict.NO_VERSION, decoded.text());
        }
        Validation validation;
        try {
            validation = validator.validate(dataset, decoded.record(), version);
        } catch (UnknownDatasetException e) {
            return new Verdict.Reject(dataset, e.getMessage(), Verdict.NO_VERSION, decoded.text());
        }
        if (validation instanceof Validation.Valid valid) {
            return new Verdict.Accept(dataset, valid.schema(), decoded.text());
        }
        Validation.Invalid invalid = (Validation.Invalid) validation;
        return new Verdict.Reject(dataset, invalid.reason(), invalid.version(), decoded.text());
    }

    private static String datasetOf(ShardConfig config, ObjectNode record) {
        return config.route().map(r -> r.resolve(record)).orElse(null) instanceof StreamRoute.Resolution.Dataset d
                ? d.name() : StreamRouting.UNROUTED;
    }

    /** A payload as a JSON object and the text to store for it, or why it is not one. */
    record Decoded(ObjectNode record, byte[] text, String problem) {
        static Decoded problem(String problem) {
            return new Decoded(null, null, problem);
        }
    }

    static Decoded decode(byte[] data) {
        if (data.length == 0) {
            return Decoded.problem("empty payload");
        }
        RecordText.Checked text = RecordText.ofUtf8(data, 0, data.length);
        if (text.firstInvalid().isPresent()) {
            return Decoded.problem("payload is not JSON: not UTF-8 (byte " + text.firstInvalid().getAsInt() + ")");
        }
        JsonNode node;
        try {
            node = StrictJson.readTree(data, 0, data.length);
        } catch (JsonProcessingException e) {
            return Decoded.problem("payload is not JSON: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + location(e));
        } catch (IOException e) {
            return Decoded.problem("payload is not JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            return Decoded.problem("payload is blank");
        }
        if (!node.isObject()) {
            return Decoded.problem("payload is JSON " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + ", not an object");
        }
        return new Decoded((ObjectNode) node, text.text(), null);
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (at byte " + e.getLocation().getByteOffset() + ")";
    }
}
