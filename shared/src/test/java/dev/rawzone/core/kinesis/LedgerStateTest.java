package dev.rawzone.core.kinesis;

import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.core.checkpoint.CheckpointConflictException;
import dev.rawzone.core.checkpoint.InMemoryCheckpointStore;
import dev.rawzone.core.write.Position;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LedgerStateTest {

    @Test
    void coverageAtOrBelowThroughIsDroppedAndTheStateRoundTrips() {
        LedgerState state = new LedgerState(Optional.of(Position.of("10", 2)),
                Map.of("data/orders/v1", Position.of(30), "quarantine/orders", Position.of(5)));

        assertEquals(Map.of("data/orders/v1", Position.of(30)), state.coverage());
        assertEquals(state, LedgerState.fromMap(state.toMap()));
        assertTrue(state.settled(Position.of("10", 2)));
        assertFalse(state.settled(Position.of("10", 3)));
        assertTrue(state.covered("data/orders/v1", Position.of(30)));
        assertFalse(state.covered("data/customers/v1", Position.of(11)));
    }

    @Test
    void mergeTakesTheFurthestOfEach() {
        LedgerState a = new LedgerState(Optional.of(Position.of(10)), Map.of("w1", Position.of(20)));
        LedgerState b = new LedgerState(Optional.of(Position.of(15)), Map.of("w1", Position.of(18), "w2", Position.of(40)));

        assertEquals(new LedgerState(Optional.of(Position.of(15)), Map.of("w1", Position.of(20), "w2", Position.of(40))),
                a.merge(b));
        assertEquals(a.merge(b), b.merge(a));
        assertEquals(a, LedgerState.EMPTY.merge(a));
    }

    /** Records 1-3 settled, 4 reported failed (its customers part could not be written, its orders part was). */
    private static final LedgerState FAILED_AT_4 = LedgerState.EMPTY.afterBatch(Position.of(1),
            Optional.of(Position.of(3)), Map.of("data/orders/v1", Position.of(7)), Optional.of(Position.of(4)));
    /** Then the mapping gave 4-9 up and delivered 10-12, which settled. */
    private static final LedgerState GAVE_UP_4_TO_9 = FAILED_AT_4.afterBatch(Position.of(10),
            Optional.of(Position.of(12)), Map.of(), Optional.empty());

    @Test
    void aBatchStartingPastAReportedFailureOpensAHoleThatThroughMovesPast() {
        assertEquals(Optional.of(Position.of(4)), FAILED_AT_4.failedFrom());
        assertEquals(Optional.of(Position.of(12)), GAVE_UP_4_TO_9.through());
        assertEquals(Optional.empty(), GAVE_UP_4_TO_9.failedFrom());
        assertTrue(GAVE_UP_4_TO_9.settled(Position.of(3)));
        assertFalse(GAVE_UP_4_TO_9.settled(Position.of(4)));
        assertFalse(GAVE_UP_4_TO_9.settled(Position.of("9", 5)));
        assertTrue(GAVE_UP_4_TO_9.settled(Position.of(10)));
        assertTrue(GAVE_UP_4_TO_9.covered("data/orders/v1", Position.of(5)), "the orders written before it opened");
        assertFalse(GAVE_UP_4_TO_9.covered("data/customers/v1", Position.of(4)));
        assertEquals(GAVE_UP_4_TO_9, LedgerState.fromMap(GAVE_UP_4_TO_9.toMap()));
        assertEquals(FAILED_AT_4, LedgerState.fromMap(FAILED_AT_4.toMap()));
    }

    @Test
    void aRetryFromTheReportedRecordOpensNoHole() {
        LedgerState retried = FAILED_AT_4.afterBatch(Position.of(4), Optional.of(Position.of(9)), Map.of(),
                Optional.empty());

        assertEquals(List.of(), retried.holes());
        assertEquals(Optional.empty(), retried.failedFrom());
        assertTrue(retried.settled(Position.of(9)));
    }

    @Test
    void aReDriveOfTheGivenUpRangeSettlesItAndTheHoleShrinksToWhatIsLeft() {
        LedgerState redriven = GAVE_UP_4_TO_9.afterBatch(Position.of(4), Optional.of(Position.of(9)), Map.of(),
                Optional.empty());

        assertTrue(redriven.settled(Position.of(4)));
        assertTrue(redriven.settled(Position.of(9)));
        assertEquals(List.of(new LedgerState.Hole(Position.of("9", 1), Position.of(10), Map.of())), redriven.holes());
        assertEquals(Optional.of(Position.of(12)), redriven.through());
    }

    @Test
    void aReDriveThatFailsPartWayKeepsTheRestOpenAndARedeliveryStartingInsideAHoleSplitsIt() {
        LedgerState partly = GAVE_UP_4_TO_9.afterBatch(Position.of(4), Optional.of(Position.of(5)), Map.of(),
                Optional.of(Position.of(6)));
        LedgerState inside = GAVE_UP_4_TO_9.afterBatch(Position.of(6), Optional.of(Position.of(7)), Map.of(),
                Optional.empty());

        assertTrue(partly.settled(Position.of(5)));
        assertFalse(partly.settled(Position.of(6)));
        assertEquals(List.of(new LedgerState.Hole(Position.of(4), Position.of(6), Map.of("data/orders/v1",
                Position.of(7))), new LedgerState.Hole(Position.of("7", 1), Position.of(10), Map.of())),
                inside.holes());
    }

    @Test
    void aBatchPastAReportedFailureThatSettlesNothingClaimsNoCoverageOverTheGivenUpRange() {
        LedgerState failedAgain = FAILED_AT_4.afterBatch(Position.of(10), Optional.empty(),
                Map.of("data/customers/v1", Position.of(12)), Optional.of(Position.of(10)));

        assertFalse(failedAgain.covered("data/customers/v1", Position.of(4)));
        assertEquals(Optional.of(Position.of(4)), failedAgain.failedFrom(), "the hole opens from 4 when one settles");
    }

    /** 4-9 given up, the batch from 10 fails too (settling nothing): both starts are remembered. */
    private static final LedgerState FAILED_AT_10_TOO = FAILED_AT_4.afterBatch(Position.of(10), Optional.empty(),
            Map.of(), Optional.of(Position.of(10)));

    @Test
    void aBatchPastAGivenUpRangeThatFailsTooIsRememberedBesidesIt() {
        assertEquals(List.of(Position.of(4), Position.of(10)), FAILED_AT_10_TOO.failedFroms());
        assertEquals(Optional.of(Position.of(4)), FAILED_AT_10_TOO.failedFrom());
        assertEquals(FAILED_AT_10_TOO, LedgerState.fromMap(FAILED_AT_10_TOO.toMap()));
        assertEquals("4", FAILED_AT_10_TOO.toMap().get(LedgerState.FAILED_FROM), "the lowest where it always was");
    }

    @Test
    void aReDriveOfTheFirstRangeBeforeTheSecondsHoleOpensLeavesTheSecondOpen() {
        LedgerState redriven = FAILED_AT_10_TOO.afterBatch(Position.of(4), Optional.of(Position.of(9)), Map.of(),
                Optional.empty());
        LedgerState next = redriven.afterBatch(Position.of(15), Optional.of(Position.of(17)), Map.of(),
                Optional.empty());

        assertTrue(redriven.settled(Position.of(9)));
        assertEquals(List.of(Position.of(10)), redriven.failedFroms(), "4 settled, 10 still waits");
        assertEquals(List.of(new LedgerState.Hole(Position.of(10), Position.of(15), Map.of())), next.holes());
        assertFalse(next.settled(Position.of(12)));
        assertTrue(next.settled(Position.of(17)));
        assertEquals(List.of(), next.failedFroms());
    }

    @Test
    void theSecondRangeGivenUpWithoutAReDriveInBetweenOpensOneHoleOverBoth() {
        LedgerState next = FAILED_AT_10_TOO.afterBatch(Position.of(15), Optional.of(Position.of(17)), Map.of(),
                Optional.empty());

        assertEquals(List.of(new LedgerState.Hole(Position.of(4), Position.of(15),
                Map.of("data/orders/v1", Position.of(7)))), next.holes());
        assertEquals(List.of(), next.failedFroms());
    }

    @Test
    void aPinRemembersItsOwnStartBesidesAnEarlierOneAndAMergeKeepsEitherSidesStarts() {
        LedgerState pinned = FAILED_AT_4.pinned(Position.of(12), "{}", Position.of(10));
        LedgerState other = FAILED_AT_4.pinned(Position.of(12), "{}", Position.of(11));

        assertEquals(List.of(Position.of(4), Position.of(10)), pinned.failedFroms());
        assertEquals(List.of(Position.of(4), Position.of(10), Position.of(11)), pinned.merge(other).failedFroms());
        assertEquals(pinned.merge(other), other.merge(pinned));
        assertEquals(List.of(Position.of(11)), pinned.merge(other)
                .merge(new LedgerState(Optional.of(Position.of(10)), Map.of())).failedFroms(), "settled ones go");
    }

    @Test
    void aLedgerWrittenWithOneFailedFromIsRead() {
        assertEquals(FAILED_AT_4, LedgerState.fromMap(Map.of(LedgerState.THROUGH, "3", LedgerState.FAILED_FROM, "4",
                LedgerState.COVER_PREFIX + "data/orders/v1", "7")));
    }

    @Test
    void moreFailureStartsThanTheCapFailLoudly() {
        List<Position> starts = IntStream.rangeClosed(1, LedgerState.MAX_FAILED_FROMS + 1)
                .mapToObj(Position::of).toList();

        assertThrows(IllegalStateException.class,
                () -> new LedgerState(Optional.empty(), Map.of(), List.of(), starts, List.of()));
    }

    @Test
    void aMergeNeverClosesAHoleThatNeitherSideSettled() {
        LedgerState unaware = new LedgerState(Optional.of(Position.of(3)), Map.of());
        LedgerState front = GAVE_UP_4_TO_9.afterBatch(Position.of(4), Optional.of(Position.of(5)), Map.of(),
                Optional.empty());
        LedgerState middle = GAVE_UP_4_TO_9.afterBatch(Position.of(7), Optional.of(Position.of(8)), Map.of(),
                Optional.empty());

        assertEquals(GAVE_UP_4_TO_9, GAVE_UP_4_TO_9.merge(unaware));
        assertEquals(GAVE_UP_4_TO_9, unaware.merge(GAVE_UP_4_TO_9));
        LedgerState both = front.merge(middle);
        assertEquals(both, middle.merge(front));
        assertTrue(both.settled(Position.of(5)) && both.settled(Position.of(8)));
        assertFalse(both.settled(Position.of(6)));
        assertFalse(both.settled(Position.of(9)));
        assertEquals(2, both.holes().size());
    }

    @Test
    void moreHolesThanTheCapFailLoudly() {
        List<LedgerState.Hole> holes = new ArrayList<>();
        for (int i = 0; i <= LedgerState.MAX_HOLES; i++) {
            holes.add(new LedgerState.Hole(Position.of(2L * i), Position.of(2L * i + 1), Map.of()));
        }

        assertThrows(IllegalStateException.class,
                () -> new LedgerState(Optional.of(Position.of(1000)), Map.of(), holes, Optional.empty()));
    }

    @Test
    void aConcurrentAdvanceIsMergedNotLost() {
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        ShardLedgers ledgers = new ShardLedgers(store);
        ShardLedgers.Ledger mine = ledgers.read("s", "shardId-1");
        ShardLedgers.Ledger theirs = ledgers.read("s", "shardId-1");
        ledgers.advance(theirs, new LedgerState(Optional.of(Position.of(50)), Map.of()));

        ShardLedgers.Ledger stored = ledgers.advance(mine,
                new LedgerState(Optional.of(Position.of(20)), Map.of("w", Position.of(70))));

        assertEquals(new LedgerState(Optional.of(Position.of(50)), Map.of("w", Position.of(70))), stored.state());
        assertEquals(2, store.get(ShardLedgers.key("s", "shardId-1")).version());
    }

    @Test
    void nothingIsWrittenWhenNothingGrew() {
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        ShardLedgers ledgers = new ShardLedgers(store);
        ShardLedgers.Ledger first = ledgers.advance(ledgers.read("s", "a"),
                new LedgerState(Optional.of(Position.of(5)), Map.of()));

        ShardLedgers.Ledger again = ledgers.advance(first, new LedgerState(Optional.of(Position.of(3)), Map.of()));

        assertEquals(1, again.checkpoint().version());
        assertEquals("kinesis#arn:aws:kinesis:us-east-1:123456789012:stream/s#a",
                ShardLedgers.key("arn:aws:kinesis:us-east-1:123456789012:stream/s", "a"));
    }

    @Test
    void givesUpAfterRepeatedConflicts() {
        InMemoryCheckpointStore backing = new InMemoryCheckpointStore();
        dev.rawzone.core.checkpoint.CheckpointStore alwaysMoved = new dev.rawzone.core.checkpoint.CheckpointStore() {
            @Override
            public Checkpoint get(String key) {
                return backing.get(key);
            }

            @Override
            public Checkpoint advance(Checkpoint current, Map<String, String> next) {
                throw new CheckpointConflictException(current.key(), current.version());
            }
        };
        ShardLedgers ledgers = new ShardLedgers(alwaysMoved);

        assertThrows(CheckpointConflictException.class, () -> ledgers.advance(
                ledgers.read("s", "a"), new LedgerState(Optional.of(Position.of(1)), Map.of())));
    }

    @Test
    void aPinIsKeptWhileItsRangeIsUnsettledOrOverlapsAHoleAndDroppedOtherwise() {
        LedgerState.Hole hole = new LedgerState.Hole(Position.of(10), Position.of(20), Map.of());
        List<LedgerState.Pin> pins = List.of(new LedgerState.Pin(Position.of(15), "a"),
                new LedgerState.Pin(Position.of(50), "b"), new LedgerState.Pin(Position.of(80), "c"),
                new LedgerState.Pin(Position.of(120), "d"));

        LedgerState state = new LedgerState(Optional.of(Position.of(100)), Map.of(), List.of(hole), List.of(), pins);

        assertEquals(List.of(Position.of(15), Position.of(50), Position.of(120)),
                state.pins().stream().map(LedgerState.Pin::upTo).toList(),
                "(50, 80] is settled and outside the hole: its pin goes; the hole's and the unsettled range's stay");
        assertEquals(Optional.of("b"), state.pinnedConfig(Position.of(18)), "the hole's tail keeps its own pin");
        assertEquals(Optional.of("d"), state.pinnedConfig(Position.of(110)));
    }

    @Test
    void configurationsChangingWhileAHoleWaitsDoNotPileUpPins() {
        LedgerState state = new LedgerState(Optional.of(Position.of(100)), Map.of(),
                List.of(new LedgerState.Hole(Position.of(10), Position.of(20), Map.of())), List.of(),
                List.of(new LedgerState.Pin(Position.of(20), "old")));
        for (int batch = 1; batch <= 3 * LedgerState.MAX_PINS; batch++) {
            Position last = Position.of(100 + 10L * batch);
            state = state.pinned(last, "config-" + batch, Position.of(100 + 10L * batch - 9))
                    .afterBatch(Position.of(100 + 10L * batch - 9), Optional.of(last), Map.of(), Optional.empty());
        }
        assertTrue(state.pins().size() <= 2, state.pins().toString());
        assertEquals(Optional.of("old"), state.pinnedConfig(Position.of(15)), "the hole is still decided as it began");
    }
}
