package dev.rawzone.core.kinesis;

import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.identity.RawZoneLayout;
import dev.rawzone.core.write.Position;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KinesisPartNamesTest {
    private static final String REAL = "49590338271490256608559692538361571095921575989136588898";
    private static final String ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/orders-stream";
    private static final String SAME_NAME_ELSEWHERE = "arn:aws:kinesis:eu-west-1:210987654321:stream/orders-stream";

    @Test
    void aRealSequenceNumberFitsTheKeySegmentLimitAndReadsBack() {
        Position position = Position.of(REAL, 1234);
        String name = KinesisPartNames.name(ARN, "shardId-000000000006", position);

        String[] segments = name.split("/");
        assertEquals(2, segments.length, name);
        for (String segment : segments) {
            assertTrue(segment.length() <= 80, segment);
            assertEquals(segment, KeyParts.sanitise(segment), "the layout must not have to change it");
        }
        assertTrue(segments[0].startsWith("orders-stream."), name);
        assertTrue(segments[1].startsWith("shardId-000000000006-"), name);
        assertEquals(position, KinesisPartNames.position(name));
        assertEquals(position, KinesisPartNames.position(segments[1]));
    }

    @Test
    void streamsOfOneNameInOtherAccountsOrRegionsGetOtherNames() {
        Position position = Position.of(REAL, 0);

        assertNotEquals(KinesisPartNames.name(ARN, "shardId-000000000000", position),
                KinesisPartNames.name(SAME_NAME_ELSEWHERE, "shardId-000000000000", position));
        assertEquals(KinesisPartNames.name(ARN, "shardId-000000000000", position),
                KinesisPartNames.name(ARN, "shardId-000000000000", position), "a pure function of its inputs");
    }

    @Test
    void theLongestStreamNameIsCutToFitItsFolderAndStaysUnique() {
        String longName = "s".repeat(128);
        String a = KinesisPartNames.folder("arn:aws:kinesis:us-east-1:123456789012:stream/" + longName);
        String b = KinesisPartNames.folder("arn:aws:kinesis:us-east-1:123456789012:stream/" + longName + "x");

        assertTrue(a.length() <= 80 && b.length() <= 80, a);
        assertNotEquals(a, b);
    }

    @Test
    void theLayoutKeepsTheStreamFolder() {
        String name = KinesisPartNames.name(ARN, "shardId-000000000000", Position.of(7));

        assertEquals("raw/kinesis/orders/schema=v1/dt=2026-11-25/" + name,
                RawZoneLayout.data("kinesis", "orders", 1, LocalDate.parse("2026-11-25"), name));
        assertEquals("quarantine/kinesis/orders/dt=2026-11-25/" + name,
                RawZoneLayout.quarantine("kinesis", "orders", LocalDate.parse("2026-11-25"), name));
    }

    @Test
    void namesSortInPositionOrder() {
        List<Position> positions = List.of(Position.of(1), Position.of(2), Position.of(10), Position.of("10", 1),
                Position.of("10", 36), Position.of(REAL, 0), Position.of(REAL, 1),
                new Position(new BigInteger(REAL).add(BigInteger.ONE), 0));
        List<String> names = new ArrayList<>();
        for (Position position : positions) {
            names.add(KinesisPartNames.name(ARN, "shardId-000000000000", position));
        }
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);

        assertEquals(names, sorted);
    }

    @Test
    void aSequenceNumberTooLongForTheFixedWidthStillGetsAUniqueBoundedName() {
        String huge = "9".repeat(120);
        String a = KinesisPartNames.file("shardId-000000000000", Position.of(huge, 0));
        String b = KinesisPartNames.file("shardId-000000000000", Position.of(huge, 1));

        assertTrue(a.length() <= 80 && b.length() <= 80, a);
        assertNotEquals(a, b);
    }
}
