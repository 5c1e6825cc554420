package dev.rawzone.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.config.AwsJsonService;
import dev.rawzone.core.config.StandInService;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.FaultInjectingProxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The store's item format and failures on the emulator, beside {@link CheckpointStoreContractTest}'s semantics: the
 * item is the one the SDK client wrote before, so existing tables keep working.
 */
class DynamoDbCheckpointStoreTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();
    private static final String TABLE = "checkpoints";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DynamoDbClient sdk;
    private DynamoDbCheckpointStore store;

    @BeforeEach
    void createTable() {
        AwsClients clients = new AwsClients(EMULATOR.emulator().environment());
        sdk = clients.dynamoDb();
        sdk.createTable(t -> t.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
        store = new DynamoDbCheckpointStore(clients.dynamoDbJson(), TABLE);
    }

    @Test
    void theItemWrittenIsPkVersionStateAndUpdatedAtAsTheSdkClientReadsThem() {
        Instant before = Instant.now();
        store.advance(store.advance(store.get("pull#contacts"), Map.of("cursor", "a")),
                Map.of("cursor", "2026-12-03T10:00:00Z", "note", "caf\u00e9 \"quoted\""));

        Map<String, AttributeValue> item = sdk.getItem(g -> g.tableName(TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("pull#contacts")))).item();
        assertEquals(AttributeValue.fromS("pull#contacts"), item.get("pk"));
        assertEquals(AttributeValue.fromN("2"), item.get("version"));
        assertEquals(AttributeValue.fromM(Map.of("cursor", AttributeValue.fromS("2026-12-03T10:00:00Z"),
                "note", AttributeValue.fromS("caf\u00e9 \"quoted\""))), item.get("state"));
        assertTrue(!Instant.parse(item.get("updated_at").s()).isBefore(before), item.toString());
        assertEquals(4, item.size(), item.toString());
    }

    @Test
    void anItemTheSdkClientWroteIsRead() {
        sdk.putItem(p -> p.tableName(TABLE).item(Map.of(
                "pk", AttributeValue.fromS("kinesis#s#shard-0"),
                "version", AttributeValue.fromN("7"),
                "state", AttributeValue.fromM(Map.of("last", AttributeValue.fromS("4960"))),
                "updated_at", AttributeValue.fromS("2026-12-01T00:00:00Z"))));

        Checkpoint read = store.get("kinesis#s#shard-0");

        assertEquals(new Checkpoint("kinesis#s#shard-0", 7, Map.of("last", "4960")), read);
        assertEquals(8, store.advance(read, Map.of("last", "4961")).version());
    }

    @Test
    void aStateValueThatIsNotAStringIsRefusedNotReadAsEmpty() {
        sdk.putItem(p -> p.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("pull#broken"),
                "version", AttributeValue.fromN("1"),
                "state", AttributeValue.fromM(Map.of("cursor", AttributeValue.fromN("5"))))));

        SdkClientException e = assertThrows(SdkClientException.class, () -> store.get("pull#broken"));

        assertTrue(e.getMessage().contains("pull#broken") && e.getMessage().contains("cursor"), e.getMessage());
    }

    /** The emulator's own size estimate is not DynamoDB's, so a stand-in shows what is sent at the limit. */
    @Test
    void anItemOfDynamoDbsLimitIsSentAndOneByteMoreIsRefusedWithoutACall() {
        try (StandInService dynamoDb = new StandInService(call -> StandInService.Reply.json(200, "{}"))) {
            Instant now = Instant.parse("2026-12-03T12:00:00.123456Z");
            DynamoDbCheckpointStore standIn = new DynamoDbCheckpointStore(dynamoDb.calls(AwsJsonService.DYNAMODB),
                    TABLE, Clock.fixed(now, ZoneOffset.UTC));
            Checkpoint absent = Checkpoint.absent("k");
            Map<String, String> state = new HashMap<>(Map.of("seen", ""));
            long rest = DynamoDbItemSize.of(CheckpointItem.of(new Checkpoint("k", 1, state), now));
            state.put("seen", "x".repeat((int) (DynamoDbItemSize.LIMIT - rest) + 1));

            assertThrows(CheckpointTooLargeException.class, () -> standIn.advance(absent, state));
            assertEquals(0, dynamoDb.sent().size());

            state.put("seen", "x".repeat((int) (DynamoDbItemSize.LIMIT - rest)));
            assertEquals(1, standIn.advance(absent, state).version());
            assertEquals(1, dynamoDb.sent().size());
        }
    }

    /** The exact conditions, so that a store that writes unconditionally cannot pass. */
    @Test
    void aCreateIsConditionalOnNoItemAndAnAdvanceOnTheVersionRead() throws Exception {
        try (StandInService dynamoDb = new StandInService(call -> StandInService.Reply.json(200, "{}"))) {
            DynamoDbCheckpointStore standIn = new DynamoDbCheckpointStore(dynamoDb.calls(AwsJsonService.DYNAMODB),
                    TABLE);
            standIn.advance(Checkpoint.absent("k"), Map.of("cursor", "a"));
            standIn.advance(new Checkpoint("k", 1, Map.of("cursor", "a")), Map.of("cursor", "b"));

            JsonNode create = MAPPER.readTree(dynamoDb.sent().get(0).body());
            assertEquals("attribute_not_exists(#pk)", create.get("ConditionExpression").asText());
            assertEquals("{\"#pk\":\"pk\"}", create.get("ExpressionAttributeNames").toString());
            JsonNode advance = MAPPER.readTree(dynamoDb.sent().get(1).body());
            assertEquals("#v = :expected", advance.get("ConditionExpression").asText());
            assertEquals("{\"#v\":\"version\"}", advance.get("ExpressionAttributeNames").toString());
            assertEquals("{\":expected\":{\"N\":\"1\"}}", advance.get("ExpressionAttributeValues").toString());
            assertEquals("{\"N\":\"2\"}", advance.at("/Item/version").toString());
        }
    }

    @Test
    void aMissingTableFailsWithDynamoDbsErrorCode() {
        DynamoDbCheckpointStore elsewhere = new DynamoDbCheckpointStore(
                new AwsClients(EMULATOR.emulator().environment()).dynamoDbJson(), "no-such-table");

        AwsServiceException e = assertThrows(AwsServiceException.class, () -> elsewhere.get("k"));

        assertEquals("ResourceNotFoundException", e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
    }

    @Test
    void aServerErrorOnPutItemIsRetriedAndTheCheckpointMovesOnce() {
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(EMULATOR.emulator().endpoint())) {
            Map<String, String> env = new HashMap<>(EMULATOR.emulator().environment());
            env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            DynamoDbCheckpointStore proxied = new DynamoDbCheckpointStore(new AwsClients(env).dynamoDbJson(), TABLE);
            proxy.fail(FaultInjectingProxy.dynamoDb("PutItem"), 2, 500, "InternalServerError");

            Checkpoint first = proxied.advance(proxied.get("k"), Map.of("cursor", "a"));

            assertEquals(2, proxy.injectedFaults());
            assertEquals(first, store.get("k"));
        }
    }
}
