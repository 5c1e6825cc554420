package dev.rawzone.core.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.function.Function;
import java.util.function.Supplier;

/** What every routing config (S3 prefixes, stream names) shares: a JSON object holding one non-empty array. */
public final class RoutingConfig {
    private RoutingConfig() {
    }

    /**
     * The entries of the array {@code field} of the config document.
     *
     * @param what names the config in messages, e.g. {@code routing config}
     * @throws InvalidRoutingException when the document is not JSON, not an object, or has no entries there
     */
    public static JsonNode entries(ObjectMapper mapper, String json, String what, String field) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidRoutingException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path(field).isArray()) {
            throw new InvalidRoutingException(what + " must be a JSON object with a \"" + field + "\" array");
        }
        JsonNode entries = root.get(field);
        if (entries.isEmpty()) {
            throw new InvalidRoutingException(what + " has no " + field);
        }
        return entries;
    }

    /** Reads the config at a {@link Locations} location and parses it; a bad config's message names the location. */
    public static <T> T load(String location, Supplier<S3Client> s3, String what, Function<String, T> parse) {
        String text = Locations.read(location, s3);
        try {
            return parse.apply(text);
        } catch (InvalidRoutingException e) {
            throw new InvalidRoutingException(what + " '" + location + "': " + e.getMessage(), e);
        }
    }
}
