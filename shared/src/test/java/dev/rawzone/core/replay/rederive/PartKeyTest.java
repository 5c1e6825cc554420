package dev.rawzone.core.replay.rederive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartKeyTest {
    private static final String KINESIS = "raw/kinesis/orders/schema=v1/dt=2026-11-25/events.0123456789abcdef/"
            + "shardId-000000000000-00000000000000000000000000000000000rs-0000.jsonl.gz";

    @Test
    void aKinesisDataPartKeepsItsTwoSegmentNameAndItsGeneration() {
        PartKey key = PartKey.parse(KINESIS).orElseThrow();
        assertEquals("kinesis", key.source());
        assertEquals(1, key.version().getAsInt());
        assertTrue(key.isOriginal());
        assertEquals(KINESIS.replace("schema=v1", "schema=v3"), key.rebuilt("orders", 3));
        assertEquals("quarantine/kinesis/orders/dt=2026-11-25/rebuild-v3/" + key.name(), key.rebuildQuarantine("orders", 3));
    }

    @Test
    void aQuarantinePartReDerivesUnderItsOwnFoldersAndHasItsMarkerBesideIt() {
        String quarantine = "quarantine/s3/orders/dt=2026-11-25/day1-0123456789abcdef-000000000002.jsonl.gz";
        PartKey key = PartKey.parse(quarantine).orElseThrow();
        assertTrue(key.isQuarantine());
        assertEquals("raw/s3/orders/schema=v2/dt=2026-11-25/from-quarantine/" + key.name(), key.rebuilt("orders", 2));
        assertEquals("raw/s3/orders/schema=v2/dt=2026-11-25/released/" + key.name(), key.released(2));
        assertEquals(quarantine + ".released-v2.json", key.releaseMarker(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "quarantine/s3/orders/dt=2026-11-25/day1-0123456789abcdef.object",
            "quarantine/s3/orders/dt=2026-11-25/day1-0123456789abcdef-000000000002.jsonl.gz.released-v2.json",
            "quarantine/s3/orders/dt=2026-11-25/rebuild-v2/day1-0123456789abcdef-000000000002.jsonl.gz",
            "raw/s3/orders/schema=v2/dt=2026-11-25/released/day1-0123456789abcdef-000000000002.jsonl.gz",
            "raw/s3/orders/schema=v2/dt=2026-11-25/from-quarantine/day1-0123456789abcdef-000000000002.jsonl.gz"})
    void derivedObjectsAreNotOriginals(String key) {
        assertFalse(PartKey.parse(key).orElseThrow().isOriginal(), key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"manifests/s3/orders/dt=2026-11-25/day1.json", "raw/s3/orders/dt=2026-11-25/x.jsonl.gz",
            "raw/s3/orders/schema=v0/dt=2026-11-25/x.jsonl.gz", "quarantine/s3/orders/dt=someday/x.jsonl.gz"})
    void keysOutsideTheLayoutAreNotParts(String key) {
        assertEquals(Optional.empty(), PartKey.parse(key));
    }
}
