package dev.rawzone.core.kinesis;

import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.core.checkpoint.CheckpointConflictException;
import dev.rawzone.core.checkpoint.InMemoryCheckpointStore;
import dev.rawzone.core.write.Position;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

        org.junit.jupiter.api.Assertions.assertThrows(CheckpointConflictException.class, () -> ledgers.advance(
                ledgers.read("s", "a"), new LedgerState(Optional.of(Position.of(1)), Map.of())));
    }
}
