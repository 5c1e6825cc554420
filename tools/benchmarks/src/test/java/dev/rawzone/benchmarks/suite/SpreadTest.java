package dev.rawzone.benchmarks.suite;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SpreadTest {

    @Test
    void medianAndRangeOfAnOddAndAnEvenNumberOfRuns() {
        assertEquals(new Spread(3, 1, 10, 3), Spread.of(List.of(10.0, 1.0, 3.0)));
        assertEquals(new Spread(2.5, 1, 4, 4), Spread.of(List.of(4.0, 1.0, 3.0, 2.0)));
    }

    @Test
    void figuresKeepTheDigitsTheyAreWorth() {
        assertEquals("1,234,568", Spread.number(1_234_567.8));
        assertEquals("143", Spread.number(143.04));
        assertEquals("66.5", Spread.number(66.54));
        assertEquals("1.25", Spread.number(1.2549));
        assertEquals("0.46", Spread.number(0.4649));
        assertEquals("0.0031", Spread.number(0.0031234));
        assertEquals("0.00", Spread.number(0));
    }
}
