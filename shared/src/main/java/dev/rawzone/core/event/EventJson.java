package dev.rawzone.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/** Reads an event (or a message holding one) that must be a JSON object, refusing anything else in one line. */
public final class EventJson {
    private EventJson() {
    }

    /**
     * @param what names the input in the refusal ({@code event}, {@code message})
     * @throws MalformedEventException when the bytes are not JSON or not a JSON object
     */
    public static JsonNode object(byte[] json, ObjectMapper mapper, String what) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (IOException e) {
            throw new MalformedEventException(what + " is not JSON: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEventException(what + " is not a JSON object");
        }
        return root;
    }
}
