package dev.rawzone.core.pull;

import dev.rawzone.core.config.SsmParameters;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

import java.util.function.Supplier;

/**
 * Reads secrets from Secrets Manager ({@code GetSecretValue}) or SSM Parameter Store ({@code GetParameter} with
 * decryption, for SecureString). Clients are created on first use only.
 */
public final class AwsSecretResolver implements SecretResolver {
    private final Supplier<SecretsManagerClient> secretsManager;
    private final Supplier<SsmParameters> ssm;

    public AwsSecretResolver(Supplier<SecretsManagerClient> secretsManager, Supplier<SsmParameters> ssm) {
        this.secretsManager = secretsManager;
        this.ssm = ssm;
    }

    @Override
    public String resolve(String reference) {
        String value;
        if (reference.startsWith(SECRETS_MANAGER)) {
            String id = reference.substring(SECRETS_MANAGER.length());
            try {
                value = secretsManager.get().getSecretValue(get -> get.secretId(id)).secretString();
            } catch (ResourceNotFoundException e) {
                throw new SecretUnavailableException("secret " + reference + " does not exist (Secrets Manager: "
                        + "ResourceNotFoundException); create it or fix the source's auth.secret");
            } catch (AwsServiceException e) {
                throw new SecretUnavailableException("secret " + reference + " could not be read: "
                        + e.awsErrorDetails().errorCode() + " (HTTP " + e.statusCode() + ")");
            }
        } else if (reference.startsWith(SSM)) {
            String name = reference.substring(SSM.length());
            try {
                value = ssm.get().value(name);
            } catch (AwsServiceException e) {
                if (SsmParameters.PARAMETER_NOT_FOUND.equals(e.awsErrorDetails().errorCode())) {
                    throw new SecretUnavailableException("secret " + reference + " does not exist (SSM: "
                            + "ParameterNotFound); create it or fix the source's auth.secret");
                }
                throw new SecretUnavailableException("secret " + reference + " could not be read: "
                        + e.awsErrorDetails().errorCode() + " (HTTP " + e.statusCode() + ")");
            }
        } else {
            throw new SecretUnavailableException("secret reference " + reference
                    + " is neither secretsmanager:<id> nor ssm:<name>");
        }
        if (value == null || value.isBlank()) {
            throw new SecretUnavailableException("secret " + reference + " is empty (a binary secret is not supported)");
        }
        return value;
    }
}
