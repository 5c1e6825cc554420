package dev.rawzone.core.write;

import dev.rawzone.core.config.AwsClients;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same write-once contract holds for the S3 sink (on the emulator) and for the in-memory fake. */
class ConditionalSinkContractTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    static Stream<Arguments> sinks() {
        Supplier<ConditionalSink> s3 = () -> {
            S3Client client = new AwsClients(EMULATOR.emulator().environment()).s3();
            client.createBucket(b -> b.bucket("contract-raw"));
            client.putBucketVersioning(v -> v.bucket("contract-raw").versioningConfiguration(c -> c.status("Enabled")));
            return new S3ConditionalSink(client, "contract-raw");
        };
        Supplier<ConditionalSink> memory = InMemorySink::new;
        return Stream.of(Arguments.of("s3", s3), Arguments.of("memory", memory));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sinks")
    void firstWriteCreatesAndKeepsContentAndMetadata(String name, Supplier<ConditionalSink> factory) {
        ConditionalSink sink = factory.get();
        byte[] body = "first".getBytes(StandardCharsets.UTF_8);

        assertEquals(PutOutcome.CREATED, sink.putIfAbsent("raw/a.jsonl.gz", body, Map.of("position-last", "7")));

        assertArrayEquals(body, sink.read("raw/a.jsonl.gz").orElseThrow());
        assertEquals("7", sink.metadata("raw/a.jsonl.gz").orElseThrow().get("position-last"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sinks")
    void secondWriteToTheSameKeyIsRefusedAndChangesNothing(String name, Supplier<ConditionalSink> factory) {
        ConditionalSink sink = factory.get();
        sink.putIfAbsent("raw/a.jsonl.gz", "first".getBytes(StandardCharsets.UTF_8), Map.of("position-last", "7"));

        PutOutcome second = sink.putIfAbsent("raw/a.jsonl.gz", "second".getBytes(StandardCharsets.UTF_8),
                Map.of("position-last", "9"));

        assertEquals(PutOutcome.ALREADY_EXISTS, second);
        assertEquals("first", new String(sink.read("raw/a.jsonl.gz").orElseThrow(), StandardCharsets.UTF_8));
        assertEquals("7", sink.metadata("raw/a.jsonl.gz").orElseThrow().get("position-last"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sinks")
    void absentKeysReadAsEmpty(String name, Supplier<ConditionalSink> factory) {
        ConditionalSink sink = factory.get();

        assertTrue(sink.read("raw/none").isEmpty());
        assertTrue(sink.metadata("raw/none").isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sinks")
    void keysListsEveryKeyUnderAPrefixInUtf8Order(String name, Supplier<ConditionalSink> factory) {
        ConditionalSink sink = factory.get();
        byte[] body = "x".getBytes(StandardCharsets.UTF_8);
        for (String key : List.of("raw/p/b-2", "raw/p/a-1", "raw/p/\uD83D\uDE00", "raw/p/\uFFFD", "raw/pq/c", "raw/o/a")) {
            sink.putIfAbsent(key, body, Map.of());
        }

        assertEquals(List.of("raw/p/a-1", "raw/p/b-2", "raw/p/\uFFFD", "raw/p/\uD83D\uDE00"), sink.keys("raw/p/"),
                "a code point past the BMP sorts after U+FFFD in UTF-8 bytes, unlike Java's String order");
        assertEquals(List.of("raw/p/a-1"), sink.keys("raw/p/a"), "a prefix need not end at a folder");
        assertEquals(List.of(), sink.keys("raw/none/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sinks")
    void keysReadsEveryPageOfAListing(String name, Supplier<ConditionalSink> factory) {
        ConditionalSink sink = factory.get();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1_005; i++) {
            String key = String.format("raw/many/%05d", i);
            sink.putIfAbsent(key, new byte[0], Map.of());
            expected.add(key);
        }

        assertEquals(expected, sink.keys("raw/many/"), "more than one ListObjectsV2 page (1,000 keys)");
    }
}
