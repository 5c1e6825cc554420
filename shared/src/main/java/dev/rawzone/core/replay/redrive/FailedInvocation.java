package dev.rawzone.core.replay.redrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.event.EventJson;
import dev.rawzone.core.event.MalformedEventException;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A message of an asynchronous function's failure queue: the invocation record an {@code OnFailure} destination
 * receives ({@code requestContext}, {@code requestPayload} = the original event, {@code responsePayload} = the
 * error), or the original event alone, as a dead-letter queue ({@code DeadLetterConfig}) receives it.
 *
 * @param event     the original event
 * @param requestId the failed invocation's request id, when the message is an invocation record
 * @param error     the last attempt's error message, when the message is an invocation record that has one
 */
public record FailedInvocation(JsonNode event, Optional<String> requestId, Optional<String> error) {

    /** @throws MalformedEventException when the body is neither an invocation record nor an event object */
    public static FailedInvocation read(String body, ObjectMapper mapper) {
        JsonNode root = EventJson.object(body.getBytes(StandardCharsets.UTF_8), mapper, "message");
        if (!root.has("requestContext") && !root.has("requestPayload")) {
            return new FailedInvocation(root, Optional.empty(), Optional.empty());
        }
        JsonNode payload = root.path("requestPayload");
        if (!payload.isObject()) {
            throw new MalformedEventException("invocation record without an event: requestPayload is "
                    + (payload.isMissingNode() ? "missing" : "not an object"));
        }
        return new FailedInvocation(payload, text(root.path("requestContext").path("requestId")),
                text(root.path("responsePayload").path("errorMessage")));
    }

    /** For a person: which invocation failed and how, when the message says. */
    public String describe() {
        return requestId.map(id -> "invocation " + id).orElse("dead letter")
                + error.map(message -> " (last error: " + message + ")").orElse("");
    }

    private static Optional<String> text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? Optional.of(node.asText()) : Optional.empty();
    }
}
