package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.testkit.api.SampleApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.rawzone.functions.pull.PullFixture.START;
import static dev.rawzone.functions.pull.PullFixture.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An API whose {@code updated_since} means after ({@code >}): the bound is sent one step of its precision below the
 * lowest value wanted, so records sharing the watermark are re-read (duplicates, never skipped, never quarantined as
 * below the bound) and a record that arrives later at that same timestamp is written.
 */
@PullTest
class PullExclusiveBoundsTest {
    private PullFixture fixture;
    private SampleApi api;

    @BeforeEach
    void setUp() {
        api.exclusiveUpdatedSince(true);
        for (int second = 0; second < 3; second++) {
            api.seed(3, START.plusSeconds(second), Duration.ZERO); // three contacts share each timestamp
        }
    }

    private SourceConfig exclusive(String lookback, String format) {
        SourceConfig config = SourceConfig.contacts(api).pageSize(2).lookback(lookback);
        ((ObjectNode) config.json().get("cursor")).put("inclusive", false).put("format", format);
        return config;
    }

    @Test
    void withoutLookbackTheWatermarksTiesAreReReadAndALateTieIsWritten() {
        fixture.configure(exclusive("PT0S", "iso"));
        PullIngestHandler handler = fixture.handler();

        JsonNode first = invoke(handler);
        api.create(START.plusSeconds(2));  // a fourth contact at the watermark, visible only after the first run
        api.create(START.plusSeconds(3));
        int before = api.requestCount();
        JsonNode second = invoke(handler);
        JsonNode third = invoke(handler);

        assertEquals(9, first.get("written").asLong(), first.toString());
        assertEquals(2, second.get("written").asLong(), "the late tie and the newer one: " + second);
        assertEquals(3, second.get("duplicates").asLong(), "the watermark's three ties, re-read: " + second);
        assertEquals(0, third.get("written").asLong(), third.toString());
        assertEquals(1, third.get("duplicates").asLong(), "only the new watermark's record: " + third);
        assertEquals(0, first.get("quarantined").asLong() + second.get("quarantined").asLong()
                + third.get("quarantined").asLong());
        assertEquals(List.of(), fixture.quarantined());
        fixture.assertEveryVersionExactlyOnce();
        assertEquals("updated_since=" + START.plusSeconds(2).minusNanos(1000), sentBound(before),
                "one microsecond (the iso default precision) below the watermark");
    }

    @Test
    void withALookbackInEpochMillisLateUpdatesAreWrittenAndTheRestAreDuplicates() {
        fixture.configure(exclusive("PT10M", "epoch_millis"));
        PullIngestHandler handler = fixture.handler();

        JsonNode first = invoke(handler);
        api.update(1, START.plusSeconds(2));           // a late update stamped at the watermark
        api.create(START.plusMillis(1500));            // a late arrival inside the lookback window
        int before = api.requestCount();
        JsonNode second = invoke(handler);

        assertEquals(9, first.get("written").asLong(), first.toString());
        assertEquals(2, second.get("written").asLong(), second.toString());
        assertEquals(8, second.get("duplicates").asLong(), "every other current version, re-read: " + second);
        assertEquals(0, second.get("quarantined").asLong(), second.toString());
        assertEquals(List.of(), fixture.quarantined());
        fixture.assertEveryVersionExactlyOnce();
        Instant wanted = START.plusSeconds(2).minus(Duration.ofMinutes(10));
        assertEquals("updated_since=" + (wanted.toEpochMilli() - 1), sentBound(before), "> one millisecond below");
    }

    /** The {@code updated_since} parameter of the request after {@code served} requests. */
    private String sentBound(int served) {
        String query = URLDecoder.decode(api.served().get(served).pathAndQuery(), StandardCharsets.UTF_8);
        int at = query.indexOf("updated_since=");
        assertTrue(at >= 0, query);
        int end = query.indexOf('&', at);
        return query.substring(at, end < 0 ? query.length() : end);
    }
}
