package dev.rawzone.functions.s3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.rawzone.functions.s3.S3Fixture.assertCountsAddUp;
import static dev.rawzone.functions.s3.S3Fixture.event;
import static dev.rawzone.functions.s3.S3Fixture.orders;
import static dev.rawzone.functions.s3.S3Fixture.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any valid S3 key is ingested, announced as S3 does (URL-encoded directly, as it is through EventBridge), and
 * what the raw zone is given as names is built from sanitised parts only.
 */
class AwkwardKeysTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private static final int MAX_OUTPUT_KEY_CHARS = 200;
    private static final int S3_USER_METADATA_BYTES = 2048;

    private S3Fixture fixture;
    private S3IngestHandler handler;

    @BeforeEach
    void setUp() {
        fixture = new S3Fixture(EMULATOR.emulator());
        handler = fixture.handler(Map.of());
    }

    static Stream<Arguments> keys() {
        String longest = "orders/" + "订".repeat(337) + ".jsonl";
        return Stream.of(
                Arguments.of("Chinese name", "orders/订单.jsonl"),
                Arguments.of("emoji name", "orders/\uD83D\uDCE6\uD83D\uDE80.jsonl"),
                Arguments.of("1,024 bytes of UTF-8", longest),
                Arguments.of("percent", "orders/100%25 sure%.jsonl"),
                Arguments.of("hash", "orders/#1#.jsonl"),
                Arguments.of("question mark", "orders/what?versionId=x.jsonl"),
                Arguments.of("plus and spaces", "orders/ a + b  .jsonl"),
                // a line feed would be valid on S3 too, but the emulator answers 404 to a key with one
                Arguments.of("control characters", "orders/tab\there\u0001\r\u007f.jsonl"),
                Arguments.of("dot-dot segments", "orders/../../etc/..jsonl"),
                Arguments.of("dot-slash segments", "orders/./.jsonl"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void anyValidKeyIsIngestedOnceWhicheverWayItIsAnnounced(String name, String key) {
        assertTrue(key.getBytes(StandardCharsets.UTF_8).length <= 1024, "S3's own limit");
        ObjectNode record = fixture.put(key, utf8(orders(1, 2)));

        ObjectNode direct = fixture.invoke(handler, event(record));
        ObjectNode bridged = fixture.invoke(handler, S3Fixture.eventBridge(record, key));

        assertEquals("INGESTED", direct.get("objects").get(0).get("outcome").asText(), direct.toString());
        assertEquals(key, direct.get("objects").get(0).get("key").asText());
        assertEquals(2, direct.get("written").asLong());
        assertCountsAddUp(direct);
        assertEquals("ALREADY_INGESTED", bridged.get("objects").get(0).get("outcome").asText(), bridged.toString());
        assertEquals(2, bridged.get("duplicates").asLong());
        assertEquals(2, fixture.rawRecords().size());
        for (String written : fixture.keys("")) {
            assertTrue(written.matches("[A-Za-z0-9._=/-]+"), written);
            assertFalse(List.of(written.split("/")).contains(".."), written);
            assertTrue(written.length() <= MAX_OUTPUT_KEY_CHARS, written);
            assertTrue(userMetadataBytes(written) <= S3_USER_METADATA_BYTES, "S3 refuses more (the emulator does not)");
        }
    }

    private int userMetadataBytes(String key) {
        return fixture.s3.headObject(h -> h.bucket(S3Fixture.RAW).key(key)).metadata().entrySet().stream()
                .mapToInt(e -> (e.getKey() + e.getValue()).getBytes(StandardCharsets.UTF_8).length).sum();
    }

    @Test
    void keysWhoseNamesSanitiseAlikeStillGetTheirOwnOutputNames() {
        fixture.invoke(handler, event(fixture.put("orders/订单.jsonl", utf8(orders(1, 2)))));
        fixture.invoke(handler, event(fixture.put("orders/発注.jsonl", utf8(orders(3, 4)))));

        List<String> manifests = fixture.manifestKeys();
        assertEquals(2, manifests.size());
        assertNotEquals(manifests.get(0), manifests.get(1));
        assertEquals(4, fixture.rawRecords().size());
    }

    @Test
    void aFolderMarkerIsLoggedAndIgnoredWithTheReason() {
        ObjectNode marker = fixture.put("orders/2026-11-25/", new byte[0]);

        ObjectNode report = fixture.invoke(handler, event(marker));

        assertEquals(0, report.get("in").asLong());
        assertEquals(0, report.get("objects").size());
        assertEquals("orders/2026-11-25/", report.get("ignored").get(0).get("key").asText());
        assertTrue(report.get("ignored").get(0).get("reason").asText().contains("folder"), report.toString());
        assertEquals(List.of(), fixture.keys(""));
    }
}
