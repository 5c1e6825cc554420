package dev.rawzone.core.checkpoint;

import dev.rawzone.core.config.AwsClients;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Compare-and-set semantics, the same for DynamoDB (on the emulator) and the in-memory fake. */
class CheckpointStoreContractTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    static Stream<Arguments> stores() {
        Supplier<CheckpointStore> dynamo = () -> {
            DynamoDbClient client = new AwsClients(EMULATOR.emulator().environment()).dynamoDb();
            client.createTable(t -> t.tableName("checkpoints").billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
            return new DynamoDbCheckpointStore(new AwsClients(EMULATOR.emulator().environment()).dynamoDbJson(),
                    "checkpoints");
        };
        Supplier<CheckpointStore> memory = InMemoryCheckpointStore::new;
        return Stream.of(Arguments.of("dynamodb", dynamo), Arguments.of("memory", memory));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void anUnwrittenCheckpointIsAbsentAtVersionZero(String name, Supplier<CheckpointStore> factory) {
        Checkpoint checkpoint = factory.get().get("kinesis#s#shard-0");

        assertEquals(0, checkpoint.version());
        assertEquals(Map.of(), checkpoint.state());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void advancingStoresTheStateAndIncrementsTheVersion(String name, Supplier<CheckpointStore> factory) {
        CheckpointStore store = factory.get();
        Checkpoint first = store.advance(store.get("k"), Map.of("cursor", "a"));
        Checkpoint second = store.advance(first, Map.of("cursor", "b"));

        assertEquals(2, second.version());
        assertEquals(new Checkpoint("k", 2, Map.of("cursor", "b")), store.get("k"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aStaleWriterCannotMoveTheCheckpoint(String name, Supplier<CheckpointStore> factory) {
        CheckpointStore store = factory.get();
        Checkpoint read = store.get("k");
        Checkpoint staleCopy = store.get("k");
        store.advance(read, Map.of("cursor", "mine"));

        assertThrows(CheckpointConflictException.class, () -> store.advance(staleCopy, Map.of("cursor", "theirs")));
        assertEquals("mine", store.get("k").state().get("cursor"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void twoFirstWritersCannotBothCreateIt(String name, Supplier<CheckpointStore> factory) {
        CheckpointStore store = factory.get();
        Checkpoint a = store.get("k");
        Checkpoint b = store.get("k");
        store.advance(a, Map.of("cursor", "a"));

        assertThrows(CheckpointConflictException.class, () -> store.advance(b, Map.of("cursor", "b")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aCheckpointOverDynamoDbsItemLimitIsNeverWritten(String name, Supplier<CheckpointStore> factory) {
        CheckpointStore store = factory.get();
        Checkpoint first = store.advance(store.get("k"), Map.of("cursor", "a", "seen", "x".repeat(390 * 1024)));

        assertThrows(CheckpointTooLargeException.class,
                () -> store.advance(first, Map.of("cursor", "b", "seen", "x".repeat(401 * 1024))));
        assertEquals("a", store.get("k").state().get("cursor"), "the stored checkpoint is unchanged");
        assertEquals(1, store.get("k").version());
    }
}
