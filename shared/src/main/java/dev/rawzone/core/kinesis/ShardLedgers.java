package dev.rawzone.core.kinesis;

import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.core.checkpoint.CheckpointConflictException;
import dev.rawzone.core.checkpoint.CheckpointStore;
import dev.rawzone.core.write.Position;

/**
 * One ledger per shard in a {@link CheckpointStore}, under {@code kinesis#<streamArn>#<shardId>} (a stream's name is
 * not unique across accounts and regions): read once per batch, advanced once per batch with compare-and-set after
 * the shard's parts are durable. A conflicting advance (another invocation moved it first) is merged and retried:
 * both states only vouch for durable data, so their union does (a hole stays open wherever neither side settled it).
 */
public final class ShardLedgers {
    private static final int CONFLICT_RETRIES = 3;

    private final CheckpointStore store;

    public ShardLedgers(CheckpointStore store) {
        this.store = store;
    }

    /** A shard's ledger as read, with the checkpoint version it was read at. */
    public record Ledger(Checkpoint checkpoint, LedgerState state) {
    }

    public static String key(String streamArn, String shardId) {
        return "kinesis#" + streamArn + "#" + shardId;
    }

    public Ledger read(String streamArn, String shardId) {
        Checkpoint checkpoint = store.get(key(streamArn, shardId));
        return new Ledger(checkpoint, LedgerState.fromMap(checkpoint.state()));
    }

    /**
     * Settles {@code [from, to)} of a shard given up to the on-failure destination, once its re-drive settled every
     * record the stream still holds there and reported the rest lost: the ledger then no longer keeps it open for a
     * re-drive that has nothing left to bring.
     */
    public void settle(String streamArn, String shardId, Position from, Position to) {
        Ledger read = read(streamArn, shardId);
        advance(read, read.state().closed(from, to));
    }

    /** Stores {@code read.state() merged with next}; returns the stored ledger. Does nothing if nothing grew. */
    public Ledger advance(Ledger read, LedgerState next) {
        Ledger current = read;
        for (int attempt = 0; ; attempt++) {
            LedgerState merged = current.state().merge(next);
            if (merged.equals(current.state())) {
                return current;
            }
            try {
                return new Ledger(store.advance(current.checkpoint(), merged.toMap()), merged);
            } catch (CheckpointConflictException e) {
                if (attempt >= CONFLICT_RETRIES) {
                    throw e;
                }
                Checkpoint again = store.get(current.checkpoint().key());
                current = new Ledger(again, LedgerState.fromMap(again.state()));
            }
        }
    }
}
