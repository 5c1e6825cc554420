package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.testkit.FakeContext;
import dev.rawzone.testkit.api.SampleApi;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.rawzone.functions.pull.PullFixture.START;
import static dev.rawzone.functions.pull.PullFixture.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cursor values in the forms APIs use: epoch numbers sent as decimal strings are read as their number, and the
 * messages about a source's bounds and links speak in the source's own terms (the bound as it is sent, the record's
 * value as the API wrote it, the part of the origin that differs).
 */
@PullTest
class PullCursorFormsTest {
    private PullFixture fixture;
    private SampleApi api;

    /** A source whose cursor is {@code field}, epoch numbers in {@code format}, with no lookback. */
    private SourceConfig epochSource(String name, String field, String format) {
        SourceConfig config = SourceConfig.contacts(api).name(name).lookback("PT0S");
        ((ObjectNode) config.json().get("cursor")).put("field", field).put("format", format);
        config.json().put("date_field", "updated_at");
        return config;
    }

    /** A contact as the API serves it, with the cursor field {@code field} holding {@code value} (JSON text). */
    private static String contact(int id, String field, String value) {
        return "{\"id\":" + id + ",\"name\":\"Contact " + id + "\",\"email\":\"c" + id + "@example.com\","
                + "\"updated_at\":\"" + START.plusSeconds(id) + "\",\"" + field + "\":" + value + "}";
    }

    private static String lastPage(String... records) {
        return "{\"records\":[" + String.join(",", records) + "],\"next_page_token\":null,\"has_more\":false}";
    }

    @Test
    void epochCursorValuesSentAsDecimalStringsAreReadAsTheirNumberAndStoredAsSent() {
        long millis = START.toEpochMilli();
        long seconds = START.getEpochSecond();
        api.respondAt(1, 200, Map.of(), lastPage(contact(1, "modified_ms", "\"" + millis + "\""),
                contact(2, "modified_ms", Long.toString(millis + 1000)),
                contact(3, "modified_ms", "\"" + (millis + 2000) + ".5\"")));
        api.respondAt(2, 200, Map.of(), lastPage(contact(4, "modified_s", "\"" + seconds + "\""),
                contact(5, "modified_s", "\"" + (seconds + 1) + "\""),
                contact(6, "modified_s", "\"1e9\"")));
        fixture.configure(epochSource("millis", "modified_ms", "epoch_millis"),
                epochSource("seconds", "modified_s", "epoch_seconds"));

        JsonNode report = invoke(fixture.handler());

        assertEquals(4, report.get("written").asLong(), report.toString());
        assertEquals(2, report.get("quarantined").asLong(), report.toString());
        assertEquals(START.plusSeconds(1).toString(), fixture.checkpoint("millis").state().get("cursor"));
        assertEquals(START.plusSeconds(1).toString(), fixture.checkpoint("seconds").state().get("cursor"));
        List<String> written = fixture.written().stream().map(JsonNode::toString).toList();
        assertTrue(written.contains(contact(1, "modified_ms", "\"" + millis + "\"")), "stored as the API sent it: "
                + written);
        assertTrue(written.contains(contact(4, "modified_s", "\"" + seconds + "\"")), written.toString());
        String reasons = fixture.quarantined().stream().map(entry -> entry.get("reason").asText())
                .collect(Collectors.joining("\n"));
        assertTrue(reasons.contains("cursor field modified_ms is missing or not epoch milliseconds (a number, or a "
                + "string of decimal digits)"), reasons);
        assertTrue(reasons.contains("cursor field modified_s is missing or not epoch seconds"), reasons);
    }

    @Test
    void aRecordBelowTheBoundFailsTheSourceNamingTheBoundAsSentAndItsValueAsTheApiWroteIt() {
        long millis = START.toEpochMilli();
        api.respondAt(1, 200, Map.of(), lastPage(contact(1, "modified_ms", Long.toString(millis)),
                contact(2, "modified_ms", Long.toString(millis + 4000))));
        api.respondAt(2, 200, Map.of(), lastPage(contact(3, "modified_ms", Long.toString(millis + 1000)),
                contact(4, "modified_ms", Long.toString(millis + 5000))));
        fixture.configure(epochSource("millis", "modified_ms", "epoch_millis"));
        PullIngestHandler handler = fixture.handler();

        invoke(handler);
        JsonNode second = handler.pull(PullFixture.MAPPER.createObjectNode(),
                new FakeContext("PullIngestFunction", Duration.ofMinutes(1))).toJson(PullFixture.MAPPER);

        assertEquals(0, second.get("quarantined").asLong(), second.toString());
        assertTrue(api.served().get(1).pathAndQuery().contains("updated_since=" + (millis + 4000)),
                api.served().get(1).toString());
        String reason = second.get("sources").get(0).get("reason").asText();
        assertTrue(reason.startsWith("the API ignores updated_since: page 1 from GET /v1/records holds a record below "
                + "the query's lower bound updated_since=" + (millis + 4000) + " (inclusive) (its modified_ms is "
                + (millis + 1000) + "); "), reason);
    }

    @Test
    void aLinkToAnotherPortOfTheSameHostIsRefusedSayingThePortDiffers() {
        int port = api.endpoint().getPort();
        int other = port == 65535 ? port - 1 : port + 1;
        api.respondAt(1, 200, Map.of("Link", "<http://127.0.0.1:" + other + "/v1/records?page_token=x>; rel=\"next\""),
                "{\"records\":[" + contact(1, "modified_ms", "1") + "],\"has_more\":true}");
        fixture.configure(SourceConfig.contacts(api).linkPagination());

        PullReport report = fixture.handler().pull(PullFixture.MAPPER.createObjectNode(),
                new FakeContext("PullIngestFunction", Duration.ofMinutes(1)));

        String reason = report.toJson(PullFixture.MAPPER).get("sources").get(0).get("reason").asText();
        assertEquals("the Link to the next page leaves the endpoint's origin (port " + other + ", the endpoint's is "
                + port + "); the credential is not sent there", reason);
        assertEquals(1, api.requestCount());
    }
}
