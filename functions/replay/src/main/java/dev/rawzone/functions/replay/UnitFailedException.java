package dev.rawzone.functions.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.replay.UnitResult;

import java.io.IOException;
import java.util.Optional;

/**
 * Thrown by a one-item invocation whose unit FAILED (it could not be done now), so that the Distributed Map retries
 * the item and a redrive of the execution re-runs it. Findings (DIFFERS, MISSING, LOST) are returned, not thrown.
 *
 * <p>The message is the unit's line, then on a line of its own the unit's result as JSON: Step Functions keeps only
 * the error's message (in the failed child execution's {@code Cause}), and Conclude reads the result back from it
 * so that the run's manifest keeps the unit's counts and what it read and wrote.
 */
public final class UnitFailedException extends RuntimeException {

    private UnitFailedException(String message) {
        super(message);
    }

    static UnitFailedException of(UnitResult result, ObjectMapper mapper) {
        try {
            return new UnitFailedException(UnitLines.unit(result) + "\n" + mapper.writeValueAsString(result.toJson(mapper)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** The unit's result in a message {@link #of} wrote; empty when the message is another (or cut short). */
    static Optional<UnitResult> resultIn(String message, ObjectMapper mapper) {
        String last = message.substring(message.lastIndexOf('\n') + 1);
        try {
            return Optional.of(UnitResult.fromJson(mapper.readTree(last)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
