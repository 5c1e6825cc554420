package dev.rawzone.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.config.StandInService.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.Crc32MismatchException;

/** The protocol details and the faults the emulator never shows, on a stand-in service. */
class AwsJsonCallTest {
    private static final ObjectNode REQUEST = JsonNodeFactory.instance.objectNode().put("TableName", "t");
    private static final Reply EMPTY = Reply.json(200, "{}");

    @Test
    void dynamoDbIsCalledOnAwsJson1_0WithItsTargetPrefixAndSignedForDynamoDb() {
        try (StandInService dynamoDb = new StandInService(call -> Reply.json(200, "{\"Item\":{}}"))) {
            assertEquals("{\"Item\":{}}", dynamoDb.calls(AwsJsonService.DYNAMODB).call("GetItem", REQUEST).toString());

            StandInService.Sent sent = dynamoDb.sent().get(0);
            assertEquals("application/x-amz-json-1.0", sent.header("Content-Type"));
            assertEquals("DynamoDB_20120810.GetItem", sent.header("X-Amz-Target"));
            assertTrue(sent.header("Authorization").contains("/eu-west-1/dynamodb/aws4_request"), sent.toString());
            assertEquals(REQUEST.toString(), sent.body());
        }
    }

    @Test
    void secretsManagerIsCalledOnAwsJson1_1WithItsTargetPrefixAndSignedForSecretsManager() {
        try (StandInService secretsManager = new StandInService(call -> EMPTY)) {
            secretsManager.calls(AwsJsonService.SECRETS_MANAGER).call("GetSecretValue", REQUEST);

            StandInService.Sent sent = secretsManager.sent().get(0);
            assertEquals("application/x-amz-json-1.1", sent.header("Content-Type"));
            assertEquals("secretsmanager.GetSecretValue", sent.header("X-Amz-Target"));
            assertTrue(sent.header("Authorization").contains("/eu-west-1/secretsmanager/aws4_request"), sent.toString());
        }
    }

    @Test
    void aServiceErrorCarriesItsCodeStatusAndResponse() {
        try (StandInService dynamoDb = new StandInService(call -> Reply.error(400,
                "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", "Requested resource not found"))) {
            AwsServiceException e = assertThrows(AwsServiceException.class,
                    () -> dynamoDb.calls(AwsJsonService.DYNAMODB).call("GetItem", REQUEST));

            assertEquals("ResourceNotFoundException", e.awsErrorDetails().errorCode());
            assertEquals("Requested resource not found", e.awsErrorDetails().errorMessage());
            assertEquals("DynamoDb", e.awsErrorDetails().serviceName());
            assertEquals(400, e.statusCode());
            assertEquals(400, e.awsErrorDetails().sdkHttpResponse().statusCode());
            assertEquals(1, dynamoDb.sent().size(), "a missing table is not retried");
        }
    }

    @Test
    void throttlingIsRetried() {
        try (StandInService dynamoDb = new StandInService(call -> call <= 2 ? Reply.error(400,
                "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", "slow down") : EMPTY)) {
            dynamoDb.calls(AwsJsonService.DYNAMODB).call("PutItem", REQUEST);

            assertEquals(3, dynamoDb.sent().size());
        }
    }

    /** DynamoDB's SDK client makes 9 attempts (DynamoDbRetryPolicy), the other clients the SDK's default number. */
    @Test
    void dynamoDbMakesNineAttemptsAtAServerErrorAndSecretsManagerTheSdksDefault() {
        Reply failure = Reply.error(500, "InternalServerError", "try again");
        try (StandInService dynamoDb = new StandInService(call -> failure);
             StandInService secretsManager = new StandInService(call -> failure)) {
            assertEquals(500, assertThrows(AwsServiceException.class,
                    () -> dynamoDb.calls(AwsJsonService.DYNAMODB).call("GetItem", REQUEST)).statusCode());
            assertThrows(AwsServiceException.class,
                    () -> secretsManager.calls(AwsJsonService.SECRETS_MANAGER).call("GetSecretValue", REQUEST));

            assertEquals(9, dynamoDb.sent().size());
            assertEquals(AwsRetryStrategy.defaultRetryStrategy().maxAttempts(), secretsManager.sent().size());
        }
    }

    /** As the SDK's DynamoDB client: the mismatch is not retried (the call may have taken effect). */
    @Test
    void aBodyThatDoesNotMatchItsCrc32FailsAndAMatchingOneIsAccepted() {
        String body = "{\"Item\":{\"pk\":{\"S\":\"caf\u00e9\"}}}";
        Map<String, String> right = Map.of("x-amz-crc32", Long.toString(crc32(body)));
        Map<String, String> wrong = Map.of("x-amz-crc32", Long.toString(crc32(body) ^ 1));
        try (StandInService dynamoDb = new StandInService(call -> new Reply(200, call == 1 ? wrong : right, body))) {
            AwsJsonCall calls = dynamoDb.calls(AwsJsonService.DYNAMODB);
            assertThrows(Crc32MismatchException.class, () -> calls.call("GetItem", REQUEST));
            assertEquals(1, dynamoDb.sent().size());

            assertEquals(body, calls.call("GetItem", REQUEST).toString());
        }
    }

    private static long crc32(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
