package dev.rawzone.core.kinesis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.UnknownDatasetException;
import dev.rawzone.core.validate.Validation;

import java.io.IOException;

/**
 * Decodes, routes and validates one user record into a {@link Verdict}, with no I/O once the dataset's schemas
 * are loaded. Everything wrong with the record itself (not JSON, not an object, duplicate keys, no route, unknown
 * dataset, schema violations) is a {@link Verdict.Reject}; only an infrastructure problem (schemas unreadable or
 * refused) is thrown, and then the record fails for retry.
 */
public final class RecordClassifier {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final StreamRouting routing;
    private final RecordValidator validator;

    public RecordClassifier(StreamRouting routing, RecordValidator validator) {
        this.routing = routing;
        this.validator = validator;
    }

    public Verdict classify(UserRecord user) {
        String stream = user.source().streamName();
        if (user.unreadable().isPresent()) {
            return new Verdict.Reject(datasetOf(stream, null), user.unreadable().get(), Verdict.NO_VERSION, null);
        }
        Decoded decoded = decode(user.data());
        StreamRoute.Resolution resolution = routing.resolve(stream, decoded.record());
        if (decoded.record() == null) {
            String dataset = resolution instanceof StreamRoute.Resolution.Dataset d ? d.name() : StreamRouting.UNROUTED;
            return new Verdict.Reject(dataset, decoded.problem(), Verdict.NO_VERSION, null);
        }
        if (resolution instanceof StreamRoute.Resolution.Unrouted unrouted) {
            return new Verdict.Reject(StreamRouting.UNROUTED, unrouted.reason(), Verdict.NO_VERSION, decoded.record());
        }
        String dataset = ((StreamRoute.Resolution.Dataset) resolution).name();
        Validation validation;
        try {
            validation = validator.validate(dataset, decoded.record());
        } catch (UnknownDatasetException e) {
            return new Verdict.Reject(dataset, e.getMessage(), Verdict.NO_VERSION, decoded.record());
        }
        if (validation instanceof Validation.Valid valid) {
            return new Verdict.Accept(dataset, valid.schema(), decoded.record());
        }
        Validation.Invalid invalid = (Validation.Invalid) validation;
        return new Verdict.Reject(dataset, invalid.reason(), invalid.version(), decoded.record());
    }

    private String datasetOf(String stream, ObjectNode record) {
        return routing.resolve(stream, record) instanceof StreamRoute.Resolution.Dataset d ? d.name()
                : StreamRouting.UNROUTED;
    }

    /** A payload as a JSON object, or why it is not one. */
    record Decoded(ObjectNode record, String problem) {
    }

    static Decoded decode(byte[] data) {
        if (data.length == 0) {
            return new Decoded(null, "empty payload");
        }
        JsonNode node;
        try {
            node = STRICT.readTree(data);
        } catch (JsonProcessingException e) {
            return new Decoded(null, "payload is not JSON: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + location(e));
        } catch (IOException e) {
            return new Decoded(null, "payload is not JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            return new Decoded(null, "payload is blank");
        }
        if (!node.isObject()) {
            return new Decoded(null, "payload is JSON " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + ", not an object");
        }
        return new Decoded((ObjectNode) node, null);
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (at byte " + e.getLocation().getByteOffset() + ")";
    }
}
