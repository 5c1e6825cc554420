package dev.rawzone.core.pull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.write.Position;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PositionSchemeTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static PositionScheme timestamps(String format, String lookback) {
        return new PositionScheme(PullSourcesTest.parse(s -> ((ObjectNode) s.get("cursor")).put("format", format)
                .put("lookback", lookback)).all().get(0));
    }

    private static ObjectNode record(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Position placed(PositionScheme scheme, String json) {
        return assertInstanceOf(PositionScheme.Placed.class, scheme.place(record(json), 0, 0)).position();
    }

    private static long micros(String instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(instant));
    }

    @Test
    void aPageTokenSourcesInitialTokenIsNoLowerBound() {
        PositionScheme feed = new PositionScheme(PullSourcesTest.parse(s -> {
            s.remove("pagination");
            s.putObject("cursor").put("kind", "page_token").put("field", "next_cursor").put("param", "cursor")
                    .put("initial", "c-2026-opaque");
        }).all().get(0));

        assertEquals(Optional.empty(), feed.initialBound());
    }

    @Test
    void aTimestampRecordStandsAtItsCursorValueThenItsId() {
        PositionScheme scheme = timestamps("iso", "PT0S");

        Position position = placed(scheme, "{\"id\": 42, \"updated_at\": \"2026-11-25T08:00:00.123456Z\"}");

        assertEquals(new Position(BigInteger.valueOf(micros("2026-11-25T08:00:00.123456Z")), 42), position);
        assertEquals(position, placed(scheme, "{\"id\": \"42\", \"updated_at\": \"2026-11-25T09:00:00.123456+01:00\"}"),
                "the same version however the API spells it");
    }

    @Test
    void aNonNumericIdIsHashedAboveEveryNumericOneAndStaysPut() {
        PositionScheme scheme = timestamps("iso", "PT0S");

        Position a = placed(scheme, "{\"id\": \"cus_9f3A\", \"updated_at\": \"2026-11-25T08:00:00Z\"}");
        Position b = placed(scheme, "{\"id\": \"cus_9f3B\", \"updated_at\": \"2026-11-25T08:00:00Z\"}");

        assertTrue(a.minor() >= 1L << 62 && b.minor() >= 1L << 62);
        assertNotEquals(a, b);
        assertEquals(a, placed(scheme, "{\"id\": \"cus_9f3A\", \"updated_at\": \"2026-11-25T08:00:00Z\"}"));
    }

    @Test
    void aRecordWithoutACursorValueOrIdHasNoPlace() {
        PositionScheme scheme = timestamps("iso", "PT0S");

        assertInstanceOf(PositionScheme.Unplaceable.class, scheme.place(record("{\"id\": 1}"), 0, 0));
        assertInstanceOf(PositionScheme.Unplaceable.class,
                scheme.place(record("{\"id\": 1, \"updated_at\": \"yesterday\"}"), 0, 0));
        assertInstanceOf(PositionScheme.Unplaceable.class,
                scheme.place(record("{\"updated_at\": \"2026-11-25T08:00:00Z\"}"), 0, 0));
        assertEquals(scheme.unplaced("{\"id\":1}", 3, 4), scheme.unplaced("{\"id\":1}", 9, 9),
                "content, not the page, places it");
    }

    @Test
    void aTimestampBeyond2262IsPlacedExactly() {
        PositionScheme scheme = timestamps("iso", "PT0S");

        Position position = placed(scheme, "{\"id\": 7, \"updated_at\": \"2999-01-01T00:00:00.000001Z\"}");

        assertEquals(Instant.parse("2999-01-01T00:00:00Z").getEpochSecond() * 1_000_000 + 1, position.major().longValue());
        assertEquals("2999-01-01T00:00:00.000001Z", scheme.cursorText(position.major()));
    }

    @Test
    void theWatermarkStopsAtTheFetchTimeForATimestampCursorOnly() {
        PositionScheme scheme = timestamps("iso", "PT0S");
        Instant fetched = Instant.parse("2026-11-25T08:00:00Z");
        BigInteger future = BigInteger.valueOf(micros("2026-11-25T09:00:00Z"));
        BigInteger past = BigInteger.valueOf(micros("2026-11-25T07:00:00Z"));

        assertEquals(BigInteger.valueOf(micros("2026-11-25T08:00:00Z")), scheme.noLaterThan(future, fetched));
        assertEquals(past, scheme.noLaterThan(past, fetched));
        PositionScheme ids = new PositionScheme(PullSourcesTest.parse(s -> s.putObject("cursor").put("kind", "id")
                .put("field", "id").put("param", "since_id")).all().get(0));
        assertEquals(future, ids.noLaterThan(future, fetched), "an id is no time");
    }

    @Test
    void theLowerBoundIsTheWatermarkLessTheLookbackInTheParametersUnit() {
        PositionScheme seconds = timestamps("epoch_seconds", "PT10M");
        BigInteger watermark = BigInteger.valueOf(micros("2026-11-25T08:00:00.750Z"));

        BigInteger bound = seconds.lowerBound(watermark);

        assertEquals(BigInteger.valueOf(micros("2026-11-25T07:50:00Z")), bound, "rounded down to whole seconds");
        assertEquals(Long.toString(Instant.parse("2026-11-25T07:50:00Z").getEpochSecond()), seconds.boundParam(bound));
        PositionScheme iso = timestamps("iso", "PT10M");
        assertEquals("2026-11-25T07:50:00.750Z", iso.boundParam(iso.lowerBound(watermark)));
        assertEquals("2026-11-25T08:00:00.750Z", iso.cursorText(watermark));
        assertEquals(watermark, iso.major("2026-11-25T08:00:00.750Z"));
    }

    @Test
    void anExclusiveParameterIsSentOneStepBelowAndTheBoundCoversWhatItReturns() {
        BigInteger watermark = BigInteger.valueOf(micros("2026-11-25T08:00:00.750Z"));
        PositionScheme millis = new PositionScheme(PullSourcesTest.parse(s -> ((ObjectNode) s.get("cursor"))
                .put("format", "epoch_millis").put("lookback", "PT0S").put("inclusive", false)).all().get(0));
        PositionScheme seconds = new PositionScheme(PullSourcesTest.parse(s -> ((ObjectNode) s.get("cursor"))
                .put("precision", "PT1S").put("lookback", "PT0S").put("inclusive", false)).all().get(0));

        BigInteger fromMillis = millis.lowerBound(watermark);
        BigInteger fromSeconds = seconds.lowerBound(watermark);

        assertEquals(Long.toString(Instant.parse("2026-11-25T08:00:00.749Z").toEpochMilli()),
                millis.boundParam(fromMillis), "> one millisecond below: the watermark's ties are re-read");
        assertEquals(BigInteger.valueOf(micros("2026-11-25T08:00:00.749001Z")), fromMillis,
                "the seen set starts at the first value after the one sent");
        assertEquals("2026-11-25T08:00:00Z", seconds.boundParam(fromSeconds), "the last whole second below");
        assertEquals(BigInteger.valueOf(micros("2026-11-25T08:00:00.000001Z")), fromSeconds);
        assertEquals("updated_since=2026-11-25T08:00:00Z (exclusive)", seconds.boundText(fromSeconds));
        PositionScheme inclusiveSeconds = new PositionScheme(PullSourcesTest.parse(s -> ((ObjectNode) s.get("cursor"))
                .put("precision", "PT1S").put("lookback", "PT0S")).all().get(0));
        assertEquals("2026-11-25T08:00:00Z", inclusiveSeconds.boundParam(inclusiveSeconds.lowerBound(watermark)));
        assertEquals(BigInteger.valueOf(micros("2026-11-25T08:00:00Z")), inclusiveSeconds.lowerBound(watermark));
    }

    @Test
    void epochTimestampsInRecordsAreReadInTheConfiguredUnit() {
        PositionScheme millis = timestamps("epoch_millis", "PT0S");

        assertEquals(BigInteger.valueOf(1_764_057_600_123_000L),
                placed(millis, "{\"id\": 1, \"updated_at\": 1764057600123}").major());
    }

    @Test
    void epochCursorValuesSentAsDecimalStringsAreReadAsTheirNumber() {
        PositionScheme millis = timestamps("epoch_millis", "PT0S");
        PositionScheme seconds = timestamps("epoch_seconds", "PT0S");

        assertEquals(placed(millis, "{\"id\": 1, \"updated_at\": 1793491200000}"),
                placed(millis, "{\"id\": 1, \"updated_at\": \"1793491200000\"}"));
        assertEquals(BigInteger.valueOf(1_793_491_200_000_000L),
                placed(seconds, "{\"id\": 1, \"updated_at\": \"1793491200\"}").major());
        for (String other : List.of("\"1793491200000.5\"", "\"1.7934912e12\"", "\"-1793491200\"", "\" 1793491200\"",
                "\"0x6AE\"", "\"\"", "\"12345678901234567890\"")) {
            PositionScheme.Placement placement = millis.place(record("{\"id\": 1, \"updated_at\": " + other + "}"), 0, 0);
            assertEquals(new PositionScheme.Unplaceable("cursor field updated_at is missing or not epoch milliseconds "
                    + "(a number, or a string of decimal digits) or an ISO-8601 timestamp at or after 1970-01-01"),
                    placement, other);
        }
        assertInstanceOf(PositionScheme.Unplaceable.class,
                timestamps("iso", "PT0S").place(record("{\"id\": 1, \"updated_at\": \"1793491200\"}"), 0, 0),
                "an iso cursor reads no numbers");
    }

    @Test
    void anIdCursorStandsAtTheIdAndAnExclusiveParameterAsksFromOneBelow() {
        PositionScheme ids = new PositionScheme(PullSourcesTest.parse(s -> s.putObject("cursor").put("kind", "id")
                .put("field", "id").put("param", "since_id").put("lookback", 5)).all().get(0));

        assertEquals(new Position(BigInteger.valueOf(1234), 0), placed(ids, "{\"id\": 1234}"));
        assertEquals(BigInteger.valueOf(1229), ids.lowerBound(BigInteger.valueOf(1234)));
        assertEquals("1228", ids.boundParam(BigInteger.valueOf(1229)), "since_id is exclusive");
        assertInstanceOf(PositionScheme.Unplaceable.class, ids.place(record("{\"id\": -3}"), 0, 0));
        assertInstanceOf(PositionScheme.Unplaceable.class, ids.place(record("{\"id\": \"abc\"}"), 0, 0));
    }
}
