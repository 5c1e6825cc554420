package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import dev.rawzone.testkit.FakeContext;
import dev.rawzone.testkit.RawZoneReader;
import dev.rawzone.testkit.api.MisbehavingApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

import static dev.rawzone.functions.pull.PullFixture.TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An API that echoes the request (its {@code Authorization} header) in what it answers: a data page holding the
 * credential in any of its encodings is refused with nothing of it stored; a page kept in quarantine is kept
 * scrubbed; messages are scrubbed. Each test ends by reading every object of the raw bucket for the token.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@PullTest
class EchoedCredentialTest {
    private static final String HEADER = "Bearer " + TOKEN;

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
    void aJsonPageThatEchoesTheCredentialInAnyEncodingIsRefusedWithNothingStored() {
        for (Function<String, String> sent : List.<Function<String, String>>of(header -> header,
                header -> header.substring("Bearer ".length()))) {
            for (Function<String, String> encoding : encodings()) {
                api.then(MisbehavingApi.echo(200, "application/json", request -> "{\"records\":[{"
                        + PullFixture.contactFields(1) + "}],\"has_more\":false,\"debug\":{\"authorization\":\""
                        + encoding.apply(sent.apply(request.getFirst("Authorization"))) + "\"}}"));

                JsonNode source = pull();

                assertEquals("FAILED", source.get("status").asText(), source.toString());
                assertTrue(source.get("reason").asText().startsWith("the API echoed the credential in page 0 from "
                        + "GET /v1/records: nothing of the page is stored"), source.toString());
                assertEquals(List.of(), fixture.keys(""), "nothing staged, written or quarantined");
                assertEquals(0, fixture.checkpoint("contacts").version());
            }
        }
        api.then(MisbehavingApi.json(ScriptedPages.contacts(2)));
        assertEquals("COMPLETE", pull().get("status").asText(), "a page without it is written");
        assertNoFormOfTheTokenIsStored();
    }

    @Test
    void anHtmlPageThatEchoesTheRequestIsKeptInQuarantineScrubbed() {
        api.then(MisbehavingApi.echo(200, "text/html; charset=utf-8", request -> "<html><body><h1>Bad gateway</h1>"
                + "<pre>" + headerLines(request) + "</pre><p>trace: " + base64(HEADER) + " / "
                + URLEncoder.encode(HEADER, StandardCharsets.UTF_8) + "</p></body></html>"));

        JsonNode source = pull();

        assertEquals("FAILED", source.get("status").asText(), source.toString());
        assertTrue(source.get("reason").asText().startsWith("malformed page 0"), source.toString());
        String kept = source.get("quarantined_page").asText();
        RawZoneReader reader = new RawZoneReader(fixture.s3, PullFixture.RAW);
        String stored = new String(reader.bytes(kept), StandardCharsets.UTF_8);
        assertTrue(stored.contains("Authorization: ***\n") && stored.contains("trace: *** / ***"), stored);
        assertTrue(stored.contains("<h1>Bad gateway</h1>"), "the rest is kept as received: " + stored);
        assertTrue(reader.metadata(kept).get("scrubbed").startsWith("every form of the credential"),
                reader.metadata(kept).toString());
        assertNoFormOfTheTokenIsStored();
    }

    @Test
    void anErrorAnswerThatEchoesTheCredentialEncodedIsScrubbedFromTheReason() {
        api.then(MisbehavingApi.echo(401, "application/json", request -> "{\"error\":\"bad token\",\"seen\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(HEADER.getBytes(StandardCharsets.UTF_8))
                + "\",\"raw\":\"" + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8) + "\"}"));

        JsonNode source = pull();

        assertEquals("FAILED", source.get("status").asText(), source.toString());
        assertTrue(source.get("reason").asText().contains("\"seen\":\"***\",\"raw\":\"***\""), source.toString());
        for (String form : forms()) {
            assertFalse(source.toString().contains(form), form + " in " + source);
        }
    }

    /** Every object under raw/, quarantine/ and manifests/ (gunzipped where gzip), and its metadata. */
    private void assertNoFormOfTheTokenIsStored() {
        RawZoneReader reader = new RawZoneReader(fixture.s3, PullFixture.RAW);
        List<String> keys = fixture.keys("");
        assertFalse(keys.isEmpty());
        for (String key : keys) {
            String content = new String(plain(reader.bytes(key)), StandardCharsets.ISO_8859_1)
                    + reader.metadata(key);
            for (String form : forms()) {
                assertFalse(content.contains(form), "a form of the token (" + form + ") is stored in " + key);
            }
        }
    }

    private static byte[] plain(byte[] bytes) {
        if (bytes.length < 2 || bytes[0] != (byte) 0x1f || bytes[1] != (byte) 0x8b) {
            return bytes;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ways an API may echo a header value: as is, URL-encoded, base64 of each kind. */
    private static List<Function<String, String>> encodings() {
        return List.of(value -> value,
                value -> URLEncoder.encode(value, StandardCharsets.UTF_8),
                value -> URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"),
                EchoedCredentialTest::base64,
                value -> Base64.getEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8)),
                value -> Base64.getUrlEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)),
                value -> Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> forms() {
        List<String> forms = new ArrayList<>();
        for (String value : List.of(TOKEN, HEADER)) {
            encodings().forEach(encoding -> forms.add(encoding.apply(value)));
        }
        return forms;
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String headerLines(Headers request) {
        StringBuilder lines = new StringBuilder();
        for (Map.Entry<String, List<String>> header : request.entrySet()) {
            lines.append(header.getKey()).append(": ").append(String.join(", ", header.getValue())).append('\n');
        }
        return lines.toString();
    }

    private JsonNode pull() {
        PullReport report = fixture.handler().pull(PullFixture.MAPPER.createObjectNode(),
                new FakeContext("PullIngestFunction", Duration.ofMinutes(1)));
        JsonNode json = report.toJson(PullFixture.MAPPER);
        PullFixture.assertCountsAddUp(json);
        return json.get("sources").get(0);
    }
}
