package dev.rawzone.core.pull;

import dev.rawzone.core.write.Position;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeenSetTest {
    /** A bound parameter that says every cursor value exactly, as an id's does. */
    private static final UnaryOperator<BigInteger> EXACT = UnaryOperator.identity();

    private static Position p(long major, long minor) {
        return new Position(BigInteger.valueOf(major), minor);
    }

    @Test
    void encodesAndDecodesTheSamePositions() {
        List<Position> positions = new ArrayList<>();
        for (long i = 0; i < 5000; i++) {
            positions.add(p(1_764_057_600_000_000L + i * 1000, i % 3 == 0 ? (1L << 62) | (i * 7919) : i));
        }
        SeenSet seen = SeenSet.empty(p(0, 0)).advance(positions, p(0, 0), 10_000, EXACT);

        String encoded = seen.encode();
        SeenSet decoded = SeenSet.decode(seen.from(), encoded);

        assertEquals(5000, decoded.size());
        positions.forEach(position -> assertTrue(decoded.contains(position), position.toString()));
        assertTrue(encoded.length() < 5000 * 12, "compact enough for a DynamoDB item: " + encoded.length());
    }

    @Test
    void advancingDropsWhatIsBelowTheNewBoundAndNeverLowersIt() {
        SeenSet seen = SeenSet.empty(p(10, 0)).advance(List.of(p(5, 1), p(10, 1), p(20, 1), p(30, 1)), p(10, 0), 100,
                EXACT);

        assertFalse(seen.contains(p(5, 1)), "below the bound: never asked for again");
        assertTrue(seen.contains(p(10, 1)));
        SeenSet raised = seen.advance(List.of(p(40, 1)), p(20, 0), 100, EXACT);
        assertEquals(p(20, 0), raised.from());
        assertEquals(3, raised.size());
        assertEquals(p(20, 0), raised.advance(List.of(), p(15, 0), 100, EXACT).from(), "the bound only rises");
    }

    @Test
    void overTheCapWholeCursorValuesAreDroppedAndTheBoundRisesWithThem() {
        List<Position> positions = List.of(p(1, 1), p(1, 2), p(2, 1), p(2, 2), p(3, 1));

        SeenSet capped = SeenSet.empty(p(0, 0)).advance(positions, p(0, 0), 3, EXACT);

        assertEquals(p(2, 0), capped.from(), "the next query starts where the set is complete");
        assertEquals(3, capped.size());
        assertTrue(capped.contains(p(2, 1)) && capped.contains(p(2, 2)) && capped.contains(p(3, 1)));
    }

    @Test
    void overTheCapTheBoundRisesOnlyToAValueTheParameterCanSayDroppingWholeStepsOfItsPrecision() {
        UnaryOperator<BigInteger> tens = value -> value.divide(BigInteger.TEN).multiply(BigInteger.TEN);
        List<Position> positions = List.of(p(12, 1), p(17, 1), p(25, 1), p(31, 1));

        SeenSet capped = SeenSet.empty(p(0, 0)).advance(positions, p(0, 0), 2, tens);

        assertEquals(p(20, 0), capped.from(), "a query sent at 25 returns from 20: nothing it returns is below from");
        assertEquals(2, capped.size());
        assertTrue(capped.contains(p(25, 1)) && capped.contains(p(31, 1)));
    }

    @Test
    void oneCursorValueOverTheCapIsKeptWhole() {
        SeenSet capped = SeenSet.empty(p(0, 0)).advance(List.of(p(7, 1), p(7, 2), p(7, 3)), p(0, 0), 2, EXACT);

        assertEquals(3, capped.size());
        assertEquals(p(0, 0), capped.from());
    }

    @Test
    void anUnreadableSetIsAClearError() {
        assertThrows(IllegalStateException.class, () -> SeenSet.decode(p(0, 0), "bm90IGd6aXA="));
    }

    @Test
    void theSamePositionsAlwaysGiveTheSameBytesSoAStoredSetIsNamedByItsContent() {
        List<Position> positions = List.of(p(7, 3), p(7, 1), p(9, (1L << 62) | 5));
        SeenSet one = SeenSet.empty(p(0, 0)).advance(positions, p(0, 0), 10, EXACT);
        SeenSet other = SeenSet.empty(p(0, 0)).advance(List.of(p(9, (1L << 62) | 5), p(7, 1), p(7, 3)), p(0, 0), 10,
                EXACT);

        assertArrayEquals(one.toBytes(), other.toBytes());
        SeenSet read = SeenSet.fromBytes(p(7, 0), one.toBytes());
        assertEquals(3, read.size());
        positions.forEach(position -> assertTrue(read.contains(position), position.toString()));
        assertThrows(IllegalStateException.class, () -> SeenSet.fromBytes(p(0, 0), new byte[] {1, 2, 3}));
    }
}
