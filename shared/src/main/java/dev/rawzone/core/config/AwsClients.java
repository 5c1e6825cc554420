package dev.rawzone.core.config;

import dev.rawzone.core.observe.XRaySubsegments;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.ServiceMetadata;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * SDK clients for one environment, so one jar runs against AWS and against an emulator.
 *
 * <p>Against AWS ({@code AWS_ENDPOINT_URL} unset) region and credentials are left to the SDK's default chains, which
 * resolve them when a call needs them: on Lambda with SnapStart the credentials come from the container endpoint
 * after restore, never from a snapshot of init. Against an emulator ({@code AWS_ENDPOINT_URL} set: tests, the
 * simulation's functions side by side in one JVM, each with its own environment) the endpoint, region and keys are
 * the given environment's; the keys are still read per call, not kept.
 */
public final class AwsClients {
    private final Map<String, String> env;

    public AwsClients(Map<String, String> env) {
        this.env = env;
    }

    public S3Client s3() {
        return configure(S3Client.builder())
                .forcePathStyle(endpoint() != null)
                .build();
    }

    /** The SDK's DynamoDB client, for tools and tests that create tables; the functions use {@link #dynamoDbJson()}. */
    public DynamoDbClient dynamoDb() {
        return configure(DynamoDbClient.builder()).build();
    }

    /** The SDK's Secrets Manager client, for tools and tests that write secrets; see {@link #secretsManagerSecrets()}. */
    public SecretsManagerClient secretsManager() {
        return configure(SecretsManagerClient.builder()).build();
    }

    /** The SDK's SSM client, for tools and tests that write parameters; the functions read them with {@link #ssmParameters()}. */
    public SsmClient ssm() {
        return configure(SsmClient.builder()).build();
    }

    /** SSM {@code GetParameter} without the SSM module. */
    public SsmParameters ssmParameters() {
        return new SsmParameters(awsJson(AwsJsonService.SSM));
    }

    /** Secrets Manager {@code GetSecretValue} without the Secrets Manager module. */
    public SecretsManagerSecrets secretsManagerSecrets() {
        return new SecretsManagerSecrets(awsJson(AwsJsonService.SECRETS_MANAGER));
    }

    /** DynamoDB's JSON protocol without the DynamoDB module, for the checkpoint store. */
    public AwsJsonCall dynamoDbJson() {
        return awsJson(AwsJsonService.DYNAMODB);
    }

    /** Calls of {@code service}'s JSON protocol; region, endpoint and credentials are resolved per call. */
    private AwsJsonCall awsJson(AwsJsonService service) {
        String endpoint = endpoint();
        if (endpoint != null) {
            String region = env.getOrDefault("AWS_REGION", "us-east-1");
            return new AwsJsonCall(service, UrlConnectionHttpClient.create(), new EnvironmentKeys(env), () -> region,
                    () -> URI.create(endpoint), new XRaySubsegments(), Clock.systemUTC());
        }
        DefaultAwsRegionProviderChain regions = new DefaultAwsRegionProviderChain();
        // looked up at the first call, not here: the SDK's metadata loads some 360 classes (every service's, every
        // region's), which a function's init would otherwise pay for
        return new AwsJsonCall(service, UrlConnectionHttpClient.create(), DefaultCredentialsProvider.builder().build(),
                () -> regions.getRegion().id(),
                () -> URI.create("https://" + ServiceMetadata.of(service.signingName()).endpointFor(regions.getRegion())),
                new XRaySubsegments(), Clock.systemUTC());
    }

    public SqsClient sqs() {
        return configure(SqsClient.builder()).build();
    }

    public KinesisClient kinesis() {
        // The same retry strategy as every other client: without it the Kinesis builder falls back to its legacy
        // retry policy, whose jitter is a java.util.Random seeded when the client is built, in the snapshot.
        return configure(KinesisClient.builder(), o -> o.retryStrategy(AwsRetryStrategy.defaultRetryStrategy()))
                .build();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        return configure(builder, o -> { });
    }

    /** With every call an X-Ray subsegment when the function is traced, and {@code override}'s settings. */
    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, Consumer<ClientOverrideConfiguration.Builder> override) {
        builder.overrideConfiguration(o -> override.accept(o.addExecutionInterceptor(new XRaySubsegments())));
        builder.httpClientBuilder(UrlConnectionHttpClient.builder());
        String endpoint = endpoint();
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint))
                    .region(Region.of(env.getOrDefault("AWS_REGION", "us-east-1")))
                    .credentialsProvider(new EnvironmentKeys(env));
        }
        return builder;
    }

    private String endpoint() {
        String endpoint = env.get("AWS_ENDPOINT_URL");
        return endpoint == null || endpoint.isBlank() ? null : endpoint;
    }

    /** An emulator's keys, read from its environment each time a request is signed. */
    private record EnvironmentKeys(Map<String, String> env) implements AwsCredentialsProvider {
        @Override
        public AwsCredentials resolveCredentials() {
            String accessKey = env.get("AWS_ACCESS_KEY_ID");
            String secretKey = env.get("AWS_SECRET_ACCESS_KEY");
            if (accessKey == null || secretKey == null) {
                throw SdkClientException.create("AWS_ENDPOINT_URL is set but AWS_ACCESS_KEY_ID or "
                        + "AWS_SECRET_ACCESS_KEY is not: an emulator still needs keys to sign with");
            }
            String token = env.get("AWS_SESSION_TOKEN");
            return token == null
                    ? AwsBasicCredentials.create(accessKey, secretKey)
                    : AwsSessionCredentials.create(accessKey, secretKey, token);
        }

        @Override
        public String toString() {
            return "EnvironmentKeys"; // never the keys
        }
    }
}
