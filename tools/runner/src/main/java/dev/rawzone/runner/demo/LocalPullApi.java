package dev.rawzone.runner.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.runner.RunnerException;
import dev.rawzone.runner.deploy.DeployedStack;
import dev.rawzone.testkit.Emulator;
import dev.rawzone.testkit.api.SampleApi;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * What PullIngestFunction needs to run locally: an API to pull from and, in the emulator, the token secret and the
 * sources configuration (the deployed {@code PullSourcesParameter}, its endpoints pointed at the local API). Unless {@code PullApiEndpoint} is given as a parameter override,
 * the API is the testkit's sample API on a loopback port, with sample contacts and a fresh random token; with an
 * override, it is that API, and its token comes from the {@code PULL_API_TOKEN} environment variable.
 */
public final class LocalPullApi implements AutoCloseable {
    public static final String FUNCTION = "PullIngestFunction";
    public static final String SOURCES = "PullSourcesParameter";
    public static final String ENDPOINT_PARAMETER = "PullApiEndpoint";
    public static final String TOKEN_VARIABLE = "PULL_API_TOKEN";
    /** Where the sample contacts' timestamps start (fixed, so every run serves the same data). */
    private static final String SECRETS_MANAGER = "secretsmanager:";
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Instant SAMPLE_START = Instant.parse("2026-11-25T08:00:00Z");

    private final Optional<SampleApi> api;
    private final URI endpoint;
    private final String sourcesParameter;

    private LocalPullApi(Optional<SampleApi> api, URI endpoint, String sourcesParameter) {
        this.api = api;
        this.endpoint = endpoint;
        this.sourcesParameter = sourcesParameter;
    }

    /** Whether the stack has the pull function and its sources parameter (so there is something to set up). */
    public static boolean applies(DeployedStack stack, String functionId) {
        return functionId.equals(FUNCTION) && stack.has(FUNCTION) && stack.has(SOURCES);
    }

    /**
     * Starts the sample API with {@code contacts} contacts (or uses the overridden endpoint, which the stack was
     * deployed with), points the deployed sources configuration at it and stores its token in the secret the
     * configuration names (moto's CloudFormation does not create {@code AWS::SecretsManager::Secret}).
     */
    public static LocalPullApi start(DeployedStack stack, Map<String, String> overrides, URI emulator,
                                     Map<String, String> environment, int contacts, PrintStream log) {
        Optional<SampleApi> api;
        URI endpoint;
        String token;
        if (overrides.containsKey(ENDPOINT_PARAMETER)) {
            endpoint = URI.create(overrides.get(ENDPOINT_PARAMETER));
            token = environment.get(TOKEN_VARIABLE);
            if (token == null || token.isBlank()) {
                throw new RunnerException(2, ENDPOINT_PARAMETER + " is overridden: set " + TOKEN_VARIABLE
                        + " to that API's token (it goes into the emulator's secret, never into a file)");
            }
            api = Optional.empty();
            log.println("pull API: " + endpoint + " (from --parameter-overrides)");
        } else {
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            token = "local-" + HexFormat.of().formatHex(random);
            SampleApi sample = SampleApi.start(token);
            sample.seed(contacts, SAMPLE_START, Duration.ofSeconds(2));
            api = Optional.of(sample);
            endpoint = sample.endpoint();
            log.println("pull API: the sample API at " + endpoint + " (" + contacts + " contacts, bearer token)");
        }
        String parameterName = stack.physicalId(SOURCES);
        String secretName;
        try (SecretsManagerClient secrets = SecretsManagerClient.builder().endpointOverride(emulator)
                .region(Region.of(Emulator.REGION)).credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
             SsmClient ssm = SsmClient.builder().endpointOverride(emulator).region(Region.of(Emulator.REGION))
                     .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            ObjectNode sources = (ObjectNode) JSON.readTree(ssm.getParameter(g -> g.name(parameterName)).parameter().value());
            secretName = pointAt(sources, endpoint);
            ssm.putParameter(p -> p.name(parameterName).type(ParameterType.STRING).value(sources.toString()).overwrite(true));
            try {
                secrets.createSecret(c -> c.name(secretName).secretString(token));
            } catch (ResourceExistsException exists) {
                secrets.putSecretValue(p -> p.secretId(secretName).secretString(token));
            }
        } catch (IOException e) {
            api.ifPresent(SampleApi::close);
            throw new UncheckedIOException("the deployed " + SOURCES + " is not JSON", e);
        } catch (RuntimeException e) {
            api.ifPresent(SampleApi::close);
            throw e;
        }
        log.println("pull configuration: ssm:" + parameterName + ", token in secret " + secretName);
        return new LocalPullApi(api, endpoint, parameterName);
    }

    /**
     * Sets every source's endpoint to the local API, as deploying with {@code PullApiEndpoint=<it>} would, and
     * answers the Secrets Manager secret the sources' bearer auth names.
     */
    private static String pointAt(ObjectNode sources, URI endpoint) {
        String secret = null;
        for (JsonNode source : sources.path("sources")) {
            ((ObjectNode) source).put("endpoint", endpoint.toString());
            String reference = source.path("auth").path("secret").asText("");
            if (reference.startsWith(SECRETS_MANAGER)) {
                secret = reference.substring(SECRETS_MANAGER.length());
            }
        }
        if (secret == null) {
            throw new RunnerException(1, "the deployed " + SOURCES + " names no " + SECRETS_MANAGER + " secret");
        }
        return secret;
    }

    /** The sample API, when this run started one. */
    public Optional<SampleApi> api() {
        return api;
    }

    public URI endpoint() {
        return endpoint;
    }

    public String sourcesParameter() {
        return sourcesParameter;
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(Emulator.ACCESS_KEY, Emulator.SECRET_KEY));
    }

    @Override
    public void close() {
        api.ifPresent(SampleApi::close);
    }
}
