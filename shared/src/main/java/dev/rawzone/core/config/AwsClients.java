package dev.rawzone.core.config;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.net.URI;
import java.util.Map;

/**
 * SDK clients configured from the environment alone, so one jar runs against AWS and against an emulator:
 * region from {@code AWS_REGION}, endpoint from {@code AWS_ENDPOINT_URL} when set, credentials from
 * {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} / {@code AWS_SESSION_TOKEN} as Lambda sets them.
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

    public DynamoDbClient dynamoDb() {
        return configure(DynamoDbClient.builder()).build();
    }

    public SecretsManagerClient secretsManager() {
        return configure(SecretsManagerClient.builder()).build();
    }

    public SsmClient ssm() {
        return configure(SsmClient.builder()).build();
    }

    public SqsClient sqs() {
        return configure(SqsClient.builder()).build();
    }

    public KinesisClient kinesis() {
        return configure(KinesisClient.builder()).build();
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        builder.region(Region.of(env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", "us-east-1"))));
        if (endpoint() != null) {
            builder.endpointOverride(URI.create(endpoint()));
        }
        String accessKey = env.get("AWS_ACCESS_KEY_ID");
        String secretKey = env.get("AWS_SECRET_ACCESS_KEY");
        if (accessKey != null && secretKey != null) {
            String token = env.get("AWS_SESSION_TOKEN");
            builder.credentialsProvider(StaticCredentialsProvider.create(token == null
                    ? AwsBasicCredentials.create(accessKey, secretKey)
                    : AwsSessionCredentials.create(accessKey, secretKey, token)));
        }
        if (builder instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
            sync.httpClientBuilder(UrlConnectionHttpClient.builder());
        }
        return builder;
    }

    private String endpoint() {
        String endpoint = env.get("AWS_ENDPOINT_URL");
        return endpoint == null || endpoint.isBlank() ? null : endpoint;
    }
}
