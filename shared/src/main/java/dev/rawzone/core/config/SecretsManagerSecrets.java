package dev.rawzone.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.util.Optional;

/**
 * Secrets Manager's {@code GetSecretValue} through {@link AwsJsonCall} instead of the Secrets Manager module
 * ({@code awsJson1_1}, {@code X-Amz-Target: secretsmanager.GetSecretValue}). Failures are
 * {@link AwsServiceException}s carrying its error code (a missing secret has code {@value #RESOURCE_NOT_FOUND}).
 */
public final class SecretsManagerSecrets {
    public static final String RESOURCE_NOT_FOUND = "ResourceNotFoundException";

    private final AwsJsonCall secretsManager;

    public SecretsManagerSecrets(AwsJsonCall secretsManager) {
        this.secretsManager = secretsManager;
    }

    /** The secret's current {@code SecretString}; empty for a secret that holds only a {@code SecretBinary}. */
    public Optional<String> secretString(String id) {
        JsonNode value = secretsManager.call("GetSecretValue",
                JsonNodeFactory.instance.objectNode().put("SecretId", id)).path("SecretString");
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }
}
