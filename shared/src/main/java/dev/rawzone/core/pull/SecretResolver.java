package dev.rawzone.core.pull;

/**
 * Turns a secret reference from the configuration into the secret's value, at run time only: the value is never
 * stored, logged or returned in a report.
 */
@FunctionalInterface
public interface SecretResolver {
    String SECRETS_MANAGER = "secretsmanager:";
    String SSM = "ssm:";

    /**
     * @param reference {@code secretsmanager:<secret id or ARN>} or {@code ssm:<parameter name>}
     * @throws SecretUnavailableException when the secret is missing, unreadable or empty
     */
    String resolve(String reference);
}
