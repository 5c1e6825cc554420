package dev.rawzone.core.kinesis;

import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.write.Position;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KinesisPartNamesTest {
    private static final String REAL = "49590338271490256608559692538361571095921575989136588898";

    @Test
    void aRealSequenceNumberFitsTheKeySegmentLimitAndReadsBack() {
        Position position = Position.of(REAL, 1234);
        String name = KinesisPartNames.name("shardId-000000000006", position);

        assertTrue(name.length() <= 80, name);
        assertEquals(name, KeyParts.sanitise(name), "the layout must not have to change it");
        assertTrue(name.startsWith("shardId-000000000006-"), name);
        assertEquals(position, KinesisPartNames.position(name));
    }

    @Test
    void namesSortInPositionOrder() {
        List<Position> positions = List.of(Position.of(1), Position.of(2), Position.of(10), Position.of("10", 1),
                Position.of("10", 36), Position.of(REAL, 0), Position.of(REAL, 1),
                new Position(new BigInteger(REAL).add(BigInteger.ONE), 0));
        List<String> names = new ArrayList<>();
        for (Position position : positions) {
            names.add(KinesisPartNames.name("shardId-000000000000", position));
        }
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);

        assertEquals(names, sorted);
    }

    @Test
    void aSequenceNumberTooLongForTheFixedWidthStillGetsAUniqueBoundedName() {
        String huge = "9".repeat(120);
        String a = KinesisPartNames.name("shardId-000000000000", Position.of(huge, 0));
        String b = KinesisPartNames.name("shardId-000000000000", Position.of(huge, 1));

        assertTrue(a.length() <= 80 && b.length() <= 80, a);
        assertNotEquals(a, b);
    }
}
