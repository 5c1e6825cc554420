package dev.rawzone.core.write;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PositionColumnTest {

    @Test
    void givesBackLineNumbersAndSubSequencesInTheOrderAddedPastItsFirstCapacity() {
        PositionColumn column = new PositionColumn();
        for (long line = 1; line <= 5000; line++) {
            column.add(new Position(BigInteger.valueOf(line * 3), line % 7));
        }
        assertEquals(5000, column.size());
        assertEquals(new Position(BigInteger.valueOf(3), 1), column.get(0));
        assertEquals(new Position(BigInteger.valueOf(15000), 5000 % 7), column.get(4999));
        assertEquals(Position.of(Long.MAX_VALUE), addedAlone(Position.of(Long.MAX_VALUE)));
    }

    @Test
    void keepsPositionsBeyondALongAndThoseBeforeThemOnceOneArrives() {
        PositionColumn column = new PositionColumn();
        Position small = Position.of("49590338271490256608559692538361571095921575989136588898", 0);
        Position line = Position.of(12);
        column.add(line);
        column.add(small);
        column.add(Position.of("49590338271490256608559692538361571095921575989136588899", 3));
        assertEquals(line, column.get(0));
        assertEquals(small, column.get(1));
        assertEquals(Position.of("49590338271490256608559692538361571095921575989136588899", 3), column.get(2));
    }

    @Test
    void isEmptyAfterClearAndRefusesAnIndexPastItsEnd() {
        PositionColumn column = new PositionColumn();
        column.add(Position.of("49590338271490256608559692538361571095921575989136588898", 0));
        column.clear();
        assertEquals(0, column.size());
        column.add(Position.of(4));
        assertEquals(Position.of(4), column.get(0));
        assertThrows(IndexOutOfBoundsException.class, () -> column.get(1));
    }

    private static Position addedAlone(Position position) {
        PositionColumn column = new PositionColumn();
        column.add(position);
        return column.get(0);
    }
}
