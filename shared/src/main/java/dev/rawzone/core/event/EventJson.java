package dev.rawzone.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;

/** Reads a handler's event as a JSON object, or says in one line why it is not one. */
public final class EventJson {
    private EventJson() {
    }

    /** @throws MalformedEventException when the event is not JSON or not a JSON object */
    public static JsonNode object(byte[] event, ObjectMapper mapper) {
        try {
            return checked(mapper.readTree(event));
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    /** @throws MalformedEventException when the event is not JSON or not a JSON object */
    public static JsonNode object(InputStream event, ObjectMapper mapper) {
        try {
            return checked(mapper.readTree(event));
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    private static JsonNode checked(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new MalformedEventException("event is not a JSON object");
        }
        return root;
    }

    private static MalformedEventException notJson(IOException e) {
        return new MalformedEventException("event is not JSON: " + String.valueOf(e.getMessage()).lines().findFirst()
                .orElse(""));
    }
}
