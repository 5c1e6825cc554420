package dev.rawzone.core.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplaySelectionTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void sourceDatasetAndDatesNarrowTheKeysAndTheListingPrefix() throws Exception {
        ReplaySelection selection = ReplaySelection.fromJson(mapper.readTree(
                "{\"source\":\"s3\",\"dataset\":\"orders\",\"from\":\"2026-11-02\",\"to\":\"2026-11-03\"}"));

        assertEquals("raw/s3/orders/", selection.prefix("raw"));
        assertTrue(selection.includes("raw/s3/orders/schema=v1/dt=2026-11-02/a.jsonl.gz"));
        assertTrue(selection.includes("quarantine/s3/orders/dt=2026-11-03/a.jsonl.gz"));
        assertFalse(selection.includes("raw/s3/orders/schema=v1/dt=2026-11-04/a.jsonl.gz"), "after --to");
        assertFalse(selection.includes("raw/s3/orders/schema=v1/dt=2026-11-01/a.jsonl.gz"), "before --from");
        assertFalse(selection.includes("raw/s3/customers/schema=v1/dt=2026-11-02/a.jsonl.gz"), "another dataset");
        assertFalse(selection.includes("raw/kinesis/orders/schema=v1/dt=2026-11-02/a.jsonl.gz"), "another source");
        assertFalse(selection.includes("manifests/s3/decisions/a.json"), "no date, outside any range");
    }

    @Test
    void aDatasetWithoutASourceIsCheckedOnEveryKeyButCannotNarrowTheListing() {
        ReplaySelection selection = new ReplaySelection(Optional.empty(), Optional.of("orders"), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), false, Optional.empty());

        assertEquals("raw/", selection.prefix("raw"));
        assertTrue(selection.includes("raw/kinesis/orders/schema=v2/dt=2026-11-02/x/y.jsonl.gz"));
        assertFalse(selection.includes("raw/kinesis/clicks/schema=v2/dt=2026-11-02/x/y.jsonl.gz"));
    }

    @Test
    void keysSelectExactlyThoseKeys() {
        ReplaySelection selection = new ReplaySelection(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of("raw/s3/orders/schema=v1/dt=2026-11-02/a.jsonl.gz"), false,
                Optional.empty());

        assertTrue(selection.includes("raw/s3/orders/schema=v1/dt=2026-11-02/a.jsonl.gz"));
        assertFalse(selection.includes("raw/s3/orders/schema=v1/dt=2026-11-02/b.jsonl.gz"));
    }

    @Test
    void roundTripsThroughTheEventsJson() {
        ReplaySelection selection = new ReplaySelection(Optional.of("pull"), Optional.of("contacts"),
                Optional.of(LocalDate.parse("2026-11-01")), Optional.of(LocalDate.parse("2026-11-30")),
                Optional.of("manifests/s3/orders/dt=2026-11-02/x.json"), List.of("raw/a", "raw/b"), true, Optional.of(3));

        assertEquals(selection, ReplaySelection.fromJson(selection.toJson(mapper)));
        assertEquals(ReplaySelection.ALL, ReplaySelection.fromJson(null));
    }

    @Test
    void malformedSelectionsAreRefusedNamingTheField() throws Exception {
        assertEquals("selection.from must be a date like 2026-12-01, not \"yesterday\"",
                assertThrows(IllegalArgumentException.class,
                        () -> ReplaySelection.fromJson(mapper.readTree("{\"from\":\"yesterday\"}"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ReplaySelection.fromJson(mapper.readTree("{\"source\":\"s3/../x\"}"))).getMessage()
                .startsWith("selection.source must be a name without '/'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ReplaySelection.fromJson(mapper.readTree("{\"from\":\"2026-11-05\",\"to\":\"2026-11-01\"}")))
                .getMessage().contains("is after --to"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ReplaySelection.fromJson(mapper.readTree("{\"schema_version\":\"two\"}"))).getMessage()
                .startsWith("selection.schema_version must be a whole number"));
    }
}
