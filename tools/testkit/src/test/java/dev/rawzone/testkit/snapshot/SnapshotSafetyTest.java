package dev.rawzone.testkit.snapshot;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotSafetyTest {
    private final SnapshotSafety safety = new SnapshotSafety(10_000);

    /** Holds its collaborators the way a wiring does: fields, a map, a list, an optional, a lambda. */
    static final class Handler {
        final Clock clock = Clock.systemUTC(); // a clock to read later is fine; a reading is not
        final Map<String, Object> byName;
        final List<Object> parts;
        final Optional<Object> maybe;
        final Supplier<Object> lazy;

        Handler(Object inMap, Object inList, Object inOptional, Object captured) {
            this.byName = Map.of("sink", new Holder(inMap));
            this.parts = List.of("a", new Holder(inList));
            this.maybe = Optional.of(new Holder(inOptional));
            this.lazy = () -> captured;
        }
    }

    record Holder(Object held) {}

    enum Format { GZIP }

    @Test
    void aGraphOfCollaboratorsThatReadClocksAndRandomnessLaterIsSafe() {
        SnapshotSafety.Report report = safety.walk(new Handler("bucket", 42, Format.GZIP, new Holder("name")));

        assertTrue(report.safe(), report.toString());
        assertTrue(report.objectsWalked() > 5, report.toString());
    }

    @Test
    void namesEachPlantedViolationWhereverItHides() {
        Handler handler = new Handler(Instant.now(), new SecureRandom(), UUID.randomUUID(), new Random(7));

        SnapshotSafety.Report report = safety.walk(handler);

        assertFalse(report.safe());
        List<String> violations = report.violations();
        assertEquals(4, violations.size(), report.toString());
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("Handler.byName[sink].held = java.time.Instant")), report.toString());
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("Handler.parts[1].held = java.security.SecureRandom")), report.toString());
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("Handler.maybe.get().held = java.util.UUID")), report.toString());
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("Handler.lazy.") && v.contains("= java.util.Random")), report.toString());
    }

    @Test
    void aWalkCutShortByItsLimitIsNotCalledSafe() {
        SnapshotSafety.Report report = new SnapshotSafety(2).walk(new Handler("a", "b", "c", "d"));

        assertFalse(report.complete());
        assertFalse(report.safe(), "an incomplete walk proves nothing");
    }
}
