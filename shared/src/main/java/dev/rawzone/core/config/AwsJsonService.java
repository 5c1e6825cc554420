package dev.rawzone.core.config;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.internal.retry.SdkDefaultRetrySetting;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

import java.time.Duration;

/**
 * The AWS services the functions call over their JSON protocol with {@link AwsJsonCall} instead of their SDK
 * modules: how each is named, signed and addressed, and the retry strategy its SDK client would use.
 */
public enum AwsJsonService {
    SSM("SSM", "ssm", "AmazonSSM", Protocol.AWS_JSON_1_1),
    SECRETS_MANAGER("SecretsManager", "secretsmanager", "secretsmanager", Protocol.AWS_JSON_1_1),
    /** As the SDK's DynamoDbRetryPolicy: 9 attempts, not the default 4, from a 25 ms base delay, not 100 ms. */
    DYNAMODB("DynamoDb", "dynamodb", "DynamoDB_20120810", Protocol.AWS_JSON_1_0) {
        @Override
        RetryStrategy retryStrategy() {
            return AwsRetryStrategy.defaultRetryStrategy().toBuilder()
                    .maxAttempts(9)
                    .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(25),
                            SdkDefaultRetrySetting.MAX_BACKOFF))
                    .build();
        }
    };

    private final String displayName;
    private final String signingName;
    private final String targetPrefix;
    private final Protocol protocol;

    AwsJsonService(String displayName, String signingName, String targetPrefix, Protocol protocol) {
        this.displayName = displayName;
        this.signingName = signingName;
        this.targetPrefix = targetPrefix;
        this.protocol = protocol;
    }

    /** The name in X-Ray subsegments and in errors: the SDK client's where the functions used one before. */
    String displayName() {
        return displayName;
    }

    /** The SigV4 service name, which is also the service's endpoint prefix. */
    String signingName() {
        return signingName;
    }

    /** The {@code X-Amz-Target} header of {@code operation}. */
    String target(String operation) {
        return targetPrefix + "." + operation;
    }

    String contentType() {
        return protocol.contentType;
    }

    /** A new strategy for one client: its token bucket is that client's retry budget. */
    RetryStrategy retryStrategy() {
        return AwsRetryStrategy.defaultRetryStrategy();
    }

    private enum Protocol {
        AWS_JSON_1_0("application/x-amz-json-1.0"),
        AWS_JSON_1_1("application/x-amz-json-1.1");

        private final String contentType;

        Protocol(String contentType) {
            this.contentType = contentType;
        }
    }
}
