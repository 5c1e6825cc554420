package dev.rawzone.runner.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.runner.RunnerException;
import dev.rawzone.runner.template.Intrinsics;
import dev.rawzone.runner.template.Template;
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

import java.io.PrintStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * What PullIngestFunction needs to run locally: an API to pull from and, in the emulator, the template's token
 * secret and its sources configuration (the template's own {@code PullSourcesParameter} value, with
 * {@code PullApiEndpoint} pointed at the local API). Unless {@code PullApiEndpoint} is given as a parameter override,
 * the API is the testkit's sample API on a loopback port, with sample contacts and a fresh random token; with an
 * override, it is that API, and its token comes from the {@code PULL_API_TOKEN} environment variable.
 */
public final class LocalPullApi implements AutoCloseable {
    public static final String FUNCTION = "PullIngestFunction";
    public static final String SECRET = "PullApiTokenSecret";
    public static final String SOURCES = "PullSourcesParameter";
    public static final String ENDPOINT_PARAMETER = "PullApiEndpoint";
    public static final String TOKEN_VARIABLE = "PULL_API_TOKEN";
    /** Where the sample contacts' timestamps start (fixed, so every run serves the same data). */
    public static final Instant SAMPLE_START = Instant.parse("2026-11-25T08:00:00Z");

    private final Optional<SampleApi> api;
    private final URI endpoint;
    private final String sourcesParameter;

    private LocalPullApi(Optional<SampleApi> api, URI endpoint, String sourcesParameter) {
        this.api = api;
        this.endpoint = endpoint;
        this.sourcesParameter = sourcesParameter;
    }

    /** Whether the template has the pull function's secret and configuration (so there is something to set up). */
    public static boolean applies(Template template, String functionId) {
        return functionId.equals(FUNCTION) && template.resource(SECRET).isPresent()
                && template.resource(SOURCES).isPresent();
    }

    /**
     * Starts the sample API with {@code contacts} contacts (or uses the overridden endpoint), then stores the
     * token and the sources configuration in the emulator at {@code emulator}.
     */
    public static LocalPullApi start(Template template, Map<String, String> overrides, URI emulator,
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
        Map<String, String> withEndpoint = new HashMap<>(overrides);
        withEndpoint.put(ENDPOINT_PARAMETER, endpoint.toString());
        Intrinsics intrinsics = Template.load(template.file(), withEndpoint).intrinsics(emulator);
        String secretName = intrinsics.names().name(SECRET);
        String parameterName = intrinsics.names().name(SOURCES);
        JsonNode value = intrinsics.resolve(template.properties(SOURCES).path("Value"));
        try (SecretsManagerClient secrets = SecretsManagerClient.builder().endpointOverride(emulator)
                .region(Region.of(Emulator.REGION)).credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
             SsmClient ssm = SsmClient.builder().endpointOverride(emulator).region(Region.of(Emulator.REGION))
                     .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            try {
                secrets.createSecret(c -> c.name(secretName).secretString(token));
            } catch (ResourceExistsException exists) {
                secrets.putSecretValue(p -> p.secretId(secretName).secretString(token));
            }
            ssm.putParameter(p -> p.name(parameterName).type(ParameterType.STRING).value(value.asText()).overwrite(true));
        } catch (RuntimeException e) {
            api.ifPresent(SampleApi::close);
            throw e;
        }
        log.println("pull configuration: ssm:" + parameterName + ", token in secret " + secretName);
        return new LocalPullApi(api, endpoint, parameterName);
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
