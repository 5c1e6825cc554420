package dev.rawzone.runner.pull;

import dev.rawzone.core.pull.SecretResolver;
import dev.rawzone.testkit.Emulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import java.io.PrintStream;
import java.net.URI;
import java.util.Map;

/**
 * Puts a user's own pull configuration into the emulator, where the function reads it: the sources file's text into
 * the template's sources parameter, and each secret it references (a Secrets Manager secret or an SSM SecureString,
 * by the name in the reference) with its value. What it logs names the secrets, never their values.
 */
public final class PullConfigInstaller {
    private PullConfigInstaller() {
    }

    public static void install(URI emulator, String parameterName, SourcesFile sources, SecretValues secrets,
                               PrintStream log) {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(Emulator.ACCESS_KEY, Emulator.SECRET_KEY));
        try (SecretsManagerClient secretsManager = SecretsManagerClient.builder().endpointOverride(emulator)
                .region(Region.of(Emulator.REGION)).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
             SsmClient ssm = SsmClient.builder().endpointOverride(emulator).region(Region.of(Emulator.REGION))
                     .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            ssm.putParameter(p -> p.name(parameterName).type(ParameterType.STRING).value(sources.text()).overwrite(true));
            for (Map.Entry<String, String> secret : secrets.byReference().entrySet()) {
                String name = SecretValues.name(secret.getKey());
                if (secret.getKey().startsWith(SecretResolver.SSM)) {
                    ssm.putParameter(p -> p.name(name).type(ParameterType.SECURE_STRING).value(secret.getValue())
                            .overwrite(true));
                } else {
                    try {
                        secretsManager.createSecret(c -> c.name(name).secretString(secret.getValue()));
                    } catch (ResourceExistsException exists) {
                        secretsManager.putSecretValue(p -> p.secretId(name).secretString(secret.getValue()));
                    }
                }
            }
        }
        log.println("pull configuration: " + sources.file() + " (" + sources.sources().names().size() + " source(s): "
                + String.join(", ", sources.sources().names()) + ") in ssm:" + parameterName
                + (secrets.byReference().isEmpty() ? "" : "; secrets " + String.join(", ", secrets.byReference().keySet())
                + " from the environment"));
    }
}
