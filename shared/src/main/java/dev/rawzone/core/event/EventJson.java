package dev.rawzone.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;

/** Reads an event (or a message holding one) that must be a JSON object, refusing anything else in one line. */
public final class EventJson {
    private EventJson() {
    }

    /**
     * @param what names the input in the refusal ({@code event}, {@code message})
     * @throws MalformedEventException when the bytes are not JSON or not a JSON object
     */
    public static JsonNode object(byte[] json, ObjectMapper mapper, String what) {
        try {
            return checked(mapper.readTree(json), what);
        } catch (IOException e) {
            throw notJson(e, what);
        }
    }

    /** The same, read from a stream (a stream handler's input). */
    public static JsonNode object(InputStream json, ObjectMapper mapper, String what) {
        try {
            return checked(mapper.readTree(json), what);
        } catch (IOException e) {
            throw notJson(e, what);
        }
    }

    private static JsonNode checked(JsonNode root, String what) {
        if (root == null || !root.isObject()) {
            throw new MalformedEventException(what + " is not a JSON object");
        }
        return root;
    }

    private static MalformedEventException notJson(IOException e, String what) {
        return new MalformedEventException(what + " is not JSON: "
                + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
}
