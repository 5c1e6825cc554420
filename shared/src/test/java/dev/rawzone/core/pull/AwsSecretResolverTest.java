package dev.rawzone.core.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.config.AwsJsonService;
import dev.rawzone.core.config.SecretsManagerSecrets;
import dev.rawzone.core.config.StandInService;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Secrets Manager's GetSecretValue without its SDK module, on the emulator; secrets are put with the SDK client. */
class AwsSecretResolverTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    @Test
    void aSecretStringIsTheCurrentVersionsValue() {
        AwsClients clients = new AwsClients(EMULATOR.emulator().environment());
        try (SecretsManagerClient secretsManager = clients.secretsManager()) {
            secretsManager.createSecret(c -> c.name("rawzone/token").secretString("first"));
            secretsManager.putSecretValue(p -> p.secretId("rawzone/token").secretString("s3cr3t \u00e9"));
        }

        assertEquals("s3cr3t \u00e9", resolver(clients).resolve("secretsmanager:rawzone/token"));
    }

    @Test
    void aMissingSecretIsNamedWithSecretsManagersCode() {
        AwsClients clients = new AwsClients(EMULATOR.emulator().environment());

        SecretUnavailableException e = assertThrows(SecretUnavailableException.class,
                () -> resolver(clients).resolve("secretsmanager:rawzone/not-there"));

        assertEquals("secret secretsmanager:rawzone/not-there does not exist (Secrets Manager: "
                + "ResourceNotFoundException); create it or fix the source's auth.secret", e.getMessage());
    }

    @Test
    void aBinarySecretIsRefused() {
        AwsClients clients = new AwsClients(EMULATOR.emulator().environment());
        try (SecretsManagerClient secretsManager = clients.secretsManager()) {
            secretsManager.createSecret(c -> c.name("rawzone/key").secretBinary(SdkBytes.fromUtf8String("bytes")));
        }

        SecretUnavailableException e = assertThrows(SecretUnavailableException.class,
                () -> resolver(clients).resolve("secretsmanager:rawzone/key"));

        assertEquals("secret secretsmanager:rawzone/key is empty (a binary secret is not supported)", e.getMessage());
    }

    @Test
    void anotherServiceErrorIsReportedWithItsCodeAndStatus() {
        try (StandInService secretsManager = new StandInService(call -> StandInService.Reply.error(400,
                "AccessDeniedException", "not allowed"))) {
            AwsSecretResolver resolver = new AwsSecretResolver(
                    () -> new SecretsManagerSecrets(secretsManager.calls(AwsJsonService.SECRETS_MANAGER)),
                    () -> { throw new AssertionError("not SSM"); });

            SecretUnavailableException e = assertThrows(SecretUnavailableException.class,
                    () -> resolver.resolve("secretsmanager:rawzone/token"));

            assertEquals("secret secretsmanager:rawzone/token could not be read: AccessDeniedException (HTTP 400)",
                    e.getMessage());
            assertEquals("{\"SecretId\":\"rawzone/token\"}", secretsManager.sent().get(0).body());
        }
    }

    @Test
    void aMissingSsmParameterIsNamedWithSsmsCode() {
        AwsClients clients = new AwsClients(EMULATOR.emulator().environment());

        SecretUnavailableException e = assertThrows(SecretUnavailableException.class,
                () -> resolver(clients).resolve("ssm:/rawzone/not-there"));

        assertEquals("secret ssm:/rawzone/not-there does not exist (SSM: ParameterNotFound); create it or fix the "
                + "source's auth.secret", e.getMessage());
    }

    private static AwsSecretResolver resolver(AwsClients clients) {
        return new AwsSecretResolver(clients::secretsManagerSecrets, clients::ssmParameters);
    }
}
