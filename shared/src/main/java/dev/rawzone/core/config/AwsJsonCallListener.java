package dev.rawzone.core.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Told of every call an {@link AwsJsonCall} makes: once before it is first sent, and once after it succeeded (not
 * per attempt), as the SDK tells its global execution interceptors of an SDK client's calls. Listeners are found
 * on the class path with {@link java.util.ServiceLoader}, as the SDK finds those interceptors, so a harness sees
 * the calls of functions wired exactly as for Lambda; a function's own jar has none.
 */
public interface AwsJsonCallListener {

    /** @param service the service's SDK name ({@code DynamoDb}, {@code SecretsManager}, {@code SSM}) */
    default void beforeCall(String service, String operation, JsonNode request) {
    }

    default void afterCall(String service, String operation, JsonNode request) {
    }
}
