package dev.rawzone.runner.invoke;

import java.nio.file.Path;
import java.util.Map;

/** A function as it was deployed: its name, handler, runtime, limits and environment, and its code on this machine. */
public record FunctionSpec(String logicalId, String functionName, String handler, Path codeUri, String runtime,
                           int timeoutSeconds, int memoryMb, Map<String, String> environment) {

    /** The class part of {@code pkg.Class::method}. */
    public String handlerClass() {
        int separator = handler.indexOf("::");
        return separator < 0 ? handler : handler.substring(0, separator);
    }

    /** The same function with some environment variables replaced or added. */
    public FunctionSpec withEnvironment(Map<String, String> replaced) {
        Map<String, String> variables = new java.util.LinkedHashMap<>(environment);
        variables.putAll(replaced);
        return new FunctionSpec(logicalId, functionName, handler, codeUri, runtime, timeoutSeconds, memoryMb,
                java.util.Collections.unmodifiableMap(variables));
    }
}
