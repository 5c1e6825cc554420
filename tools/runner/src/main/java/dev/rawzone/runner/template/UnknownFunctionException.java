package dev.rawzone.runner.template;

import java.util.List;

/** The logical id names no {@code AWS::Serverless::Function} in the template. */
public final class UnknownFunctionException extends RuntimeException {
    public UnknownFunctionException(String logicalId, List<String> known) {
        super("no function " + logicalId + " in the template; known functions: "
                + (known.isEmpty() ? "(none)" : String.join(", ", known)));
    }
}
