package dev.rawzone.runner.deploy;

import java.util.List;

/** The logical id names no function of the deployed stack (exit 2); the message lists the ones it has. */
public final class UnknownFunctionException extends RuntimeException {
    public UnknownFunctionException(String logicalId, List<String> known) {
        super("no function " + logicalId + " in the stack; known functions: "
                + (known.isEmpty() ? "(none)" : String.join(", ", known)));
    }
}
