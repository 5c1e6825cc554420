package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.testkit.FakeContext;
import dev.rawzone.testkit.RawZoneReader;
import dev.rawzone.testkit.api.MisbehavingApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies in a declared charset, with a byte order mark, gzip-coded or in a coding not asked for: read as the API
 * meant them or refused with the reason, never written altered; what is kept in quarantine is the bytes received.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@PullTest
class BodyEncodingTest {
    private static final String NAME = "Zoë Ångström-Øberg";

    private PullFixture fixture;
    private MisbehavingApi api;

    @BeforeEach
    void setUp() {
        api = MisbehavingApi.start();
        fixture.configure(SourceConfig.contacts(fixture.api).endpoint(api.endpoint()));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    @Test
    void anIso88591PageIsReadInItsCharsetAndStoredAsTheSameCharactersInUtf8() {
        api.then(MisbehavingApi.bytes(200, Map.of("Content-Type", "application/json; charset=ISO-8859-1"),
                pageNamed(NAME).getBytes(StandardCharsets.ISO_8859_1)));

        JsonNode source = pull();

        assertEquals("COMPLETE", source.get("status").asText(), source.toString());
        List<String> lines = new RawZoneReader(fixture.s3, PullFixture.RAW).lines("raw/pull/");
        assertEquals(List.of(record(NAME)), lines, "the same characters, as UTF-8 JSON Lines");
    }

    @Test
    void aUtf8ByteOrderMarkIsDropped() {
        byte[] page = pageNamed(NAME).getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[page.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(page, 0, withBom, 3, page.length);
        api.then(MisbehavingApi.bytes(200, Map.of("Content-Type", "application/json"), withBom));

        JsonNode source = pull();

        assertEquals("COMPLETE", source.get("status").asText(), source.toString());
        assertEquals(List.of(record(NAME)), new RawZoneReader(fixture.s3, PullFixture.RAW).lines("raw/pull/"));
    }

    @Test
    void aBodyNotValidInItsCharsetIsKeptAsReceivedAndFailsTheSource() {
        byte[] body = pageNamed(NAME).getBytes(StandardCharsets.ISO_8859_1); // sent as UTF-8: ë is not UTF-8
        api.then(MisbehavingApi.bytes(200, Map.of("Content-Type", "application/json"), body));

        JsonNode source = pull();

        assertRefusedAndKept(source, "the body is not valid UTF-8 (byte " + pageNamed(NAME).indexOf('ë')
                + " starts a malformed sequence)", body);
    }

    @Test
    void anUnsupportedCharsetIsRefusedTheSameWay() {
        byte[] body = ScriptedPages.contacts(2).getBytes(StandardCharsets.UTF_8);
        api.then(MisbehavingApi.bytes(200, Map.of("Content-Type", "application/json; charset=x-klingon"), body));

        JsonNode source = pull();

        assertRefusedAndKept(source, "the API declared the charset \"x-klingon\" in Content-Type, which is not "
                + "supported", body);
    }

    @Test
    void aGzipBodyIsAskedForAndDecoded() {
        api.then(MisbehavingApi.bytes(200, Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"),
                gzip(ScriptedPages.contacts(3).getBytes(StandardCharsets.UTF_8))));

        JsonNode source = pull();

        assertEquals("COMPLETE", source.get("status").asText(), source.toString());
        assertEquals("gzip", api.requests().get(0).getFirst("Accept-Encoding"));
        PullFixture.assertExactlyOnce(ScriptedPages.versions(3), fixture.written());
    }

    @Test
    void aGzipBombIsCutAtTheSizeCap() {
        byte[] padding = new byte[33 * 1024 * 1024];
        java.util.Arrays.fill(padding, (byte) ' ');
        ByteArrayOutputStream page = new ByteArrayOutputStream();
        page.writeBytes("{\"records\":[".getBytes(StandardCharsets.UTF_8));
        page.writeBytes(padding);
        page.writeBytes("],\"has_more\":false}".getBytes(StandardCharsets.UTF_8));
        api.then(MisbehavingApi.bytes(200, Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"),
                gzip(page.toByteArray())));

        JsonNode source = pull();

        assertEquals("FAILED", source.get("status").asText(), source.toString());
        assertEquals("the decoded response for page 0 from GET /v1/records is larger than 33554432 bytes; lower "
                + "page_size", source.get("reason").asText());
        assertEquals(List.of(), fixture.keys(""));
        assertEquals(0, fixture.checkpoint("contacts").version());
    }

    @Test
    void aCodingNotAskedForIsRefusedByName() {
        byte[] body = {0x1b, 0x20, 0x00, 0x42, 0x13};
        api.then(MisbehavingApi.bytes(200, Map.of("Content-Type", "application/json", "Content-Encoding", "br"), body));

        JsonNode source = pull();

        assertRefusedAndKept(source, "the API sent the body with Content-Encoding \"br\", which is not supported "
                + "(only gzip is asked for in Accept-Encoding)", body);
        String kept = source.get("quarantined_page").asText();
        assertEquals("br", new RawZoneReader(fixture.s3, PullFixture.RAW).metadata(kept).get("content-encoding"));
    }

    @Test
    void aMalformedGzipPageIsKeptCompressedWithItsHeaders() {
        byte[] body = gzip("{\"records\":[{\"id\":1,\"na".getBytes(StandardCharsets.UTF_8));
        api.then(MisbehavingApi.bytes(200, Map.of("Content-Type", "application/json; charset=utf-8",
                "Content-Encoding", "gzip"), body));

        JsonNode source = pull();

        assertRefusedAndKept(source, "the body is not JSON", body);
        Map<String, String> metadata = new RawZoneReader(fixture.s3, PullFixture.RAW)
                .metadata(source.get("quarantined_page").asText());
        assertEquals("gzip", metadata.get("content-encoding"));
        assertEquals("application/json; charset=utf-8", metadata.get("content-type"));
    }

    private void assertRefusedAndKept(JsonNode source, String reason, byte[] received) {
        assertEquals("FAILED", source.get("status").asText(), source.toString());
        assertTrue(source.get("reason").asText().startsWith("malformed page 0 from GET /v1/records: " + reason),
                source.toString());
        String kept = source.get("quarantined_page").asText();
        assertArrayEquals(received, new RawZoneReader(fixture.s3, PullFixture.RAW).bytes(kept), "kept as received");
        assertEquals(List.of(kept), fixture.keys(""), "nothing else is stored");
        assertEquals(0, fixture.checkpoint("contacts").version(), "the checkpoint is unchanged");
    }

    private JsonNode pull() {
        PullReport report = fixture.handler().pull(PullFixture.MAPPER.createObjectNode(),
                new FakeContext("PullIngestFunction", Duration.ofMinutes(1)));
        JsonNode json = report.toJson(PullFixture.MAPPER);
        PullFixture.assertCountsAddUp(json);
        return json.get("sources").get(0);
    }

    private static String record(String name) {
        return "{\"id\":1,\"name\":\"" + name + "\",\"email\":\"c1@example.com\",\"updated_at\":\"2026-11-25T08:00:01Z\"}";
    }

    private static String pageNamed(String name) {
        return "{\"records\":[" + record(name) + "],\"has_more\":false}";
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }
}
