package dev.rawzone.runner.aws;

import dev.rawzone.testkit.Emulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;

/** SDK clients for the emulator at one endpoint, created on first use and closed together. */
public final class AwsClients implements AutoCloseable {
    static {
        // moto answers Kinesis in JSON only; the SDK's CBOR must be off before the first Kinesis client is built.
        if (System.getProperty("aws.cborEnabled") == null) {
            System.setProperty("aws.cborEnabled", "false");
        }
    }

    private final URI endpoint;
    private S3Client s3;
    private DynamoDbClient dynamoDb;
    private KinesisClient kinesis;
    private SqsClient sqs;
    private CloudFormationClient cloudFormation;
    private LambdaClient lambda;

    public AwsClients(URI endpoint) {
        this.endpoint = endpoint;
    }

    public URI endpoint() {
        return endpoint;
    }

    public synchronized S3Client s3() {
        if (s3 == null) {
            s3 = build(S3Client.builder().forcePathStyle(true));
        }
        return s3;
    }

    public synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            dynamoDb = build(DynamoDbClient.builder());
        }
        return dynamoDb;
    }

    public synchronized KinesisClient kinesis() {
        if (kinesis == null) {
            kinesis = build(KinesisClient.builder());
        }
        return kinesis;
    }

    public synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = build(SqsClient.builder());
        }
        return sqs;
    }

    public synchronized CloudFormationClient cloudFormation() {
        if (cloudFormation == null) {
            cloudFormation = build(CloudFormationClient.builder());
        }
        return cloudFormation;
    }

    public synchronized LambdaClient lambda() {
        if (lambda == null) {
            lambda = build(LambdaClient.builder());
        }
        return lambda;
    }

    /** The emulator's endpoint, region and test credentials, over the JDK's HTTP client. */
    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder) {
        return builder.endpointOverride(endpoint).region(region()).credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    private static Region region() {
        return Region.of(Emulator.REGION);
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(Emulator.ACCESS_KEY, Emulator.SECRET_KEY));
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable client : new AutoCloseable[] {s3, dynamoDb, kinesis, sqs, cloudFormation, lambda}) {
            if (client != null) {
                try {
                    client.close();
                } catch (Exception ignored) {
                    // closing is best effort
                }
            }
        }
    }
}
