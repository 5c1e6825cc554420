package dev.rawzone.core.pull;

import dev.rawzone.core.config.SecretsManagerSecrets;
import dev.rawzone.core.config.SsmParameters;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.util.function.Supplier;

/**
 * Reads secrets from Secrets Manager ({@code GetSecretValue}) or SSM Parameter Store ({@code GetParameter} with
 * decryption, for SecureString). Clients are created on first use only.
 */
public final class AwsSecretResolver implements SecretResolver {
    private final Supplier<SecretsManagerSecrets> secretsManager;
    private final Supplier<SsmParameters> ssm;

    public AwsSecretResolver(Supplier<SecretsManagerSecrets> secretsManager, Supplier<SsmParameters> ssm) {
        this.secretsManager = secretsManager;
        this.ssm = ssm;
    }

    @Override
    public String resolve(String reference) {
        String value;
        if (reference.startsWith(SECRETS_MANAGER)) {
            String id = reference.substring(SECRETS_MANAGER.length());
            value = read(reference, "Secrets Manager", SecretsManagerSecrets.RESOURCE_NOT_FOUND,
                    () -> secretsManager.get().secretString(id).orElse(null));
        } else if (reference.startsWith(SSM)) {
            String name = reference.substring(SSM.length());
            value = read(reference, "SSM", SsmParameters.PARAMETER_NOT_FOUND, () -> ssm.get().value(name));
        } else {
            throw new SecretUnavailableException("secret reference " + reference
                    + " is neither secretsmanager:<id> nor ssm:<name>");
        }
        if (value == null || value.isBlank()) {
            throw new SecretUnavailableException("secret " + reference + " is empty (a binary secret is not supported)");
        }
        return value;
    }

    /** {@code read}'s value, or why {@code service} could not give it, {@code notFound} naming a missing secret. */
    private static String read(String reference, String service, String notFound, Supplier<String> read) {
        try {
            return read.get();
        } catch (AwsServiceException e) {
            if (notFound.equals(e.awsErrorDetails().errorCode())) {
                throw new SecretUnavailableException("secret " + reference + " does not exist (" + service + ": "
                        + notFound + "); create it or fix the source's auth.secret");
            }
            throw new SecretUnavailableException("secret " + reference + " could not be read: "
                    + e.awsErrorDetails().errorCode() + " (HTTP " + e.statusCode() + ")");
        }
    }
}
