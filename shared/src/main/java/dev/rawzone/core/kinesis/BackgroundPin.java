package dev.rawzone.core.kinesis;

import org.slf4j.MDC;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The ledger write that pins a batch's range ({@link LedgerState#pinned}), on a thread of its own so that the
 * batch's records are decided meanwhile. The thread logs under the caller's correlation id. Nothing may be written
 * to S3 before {@link #stored()} has returned: until then the pin is not known to be durable.
 */
final class BackgroundPin {
    private final CompletableFuture<ShardLedgers.Ledger> stored = new CompletableFuture<>();

    private BackgroundPin() {
    }

    /** Starts storing {@code read}'s state merged with {@code pinned} ({@link ShardLedgers#advance}). */
    static BackgroundPin start(ShardLedgers ledgers, ShardLedgers.Ledger read, LedgerState pinned) {
        BackgroundPin pin = new BackgroundPin();
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        Thread thread = new Thread(() -> {
            if (logContext != null) {
                MDC.setContextMap(logContext);
            }
            try {
                pin.stored.complete(ledgers.advance(read, pinned));
            } catch (RuntimeException | Error e) {
                pin.stored.completeExceptionally(e);
            } finally {
                MDC.clear();
            }
        }, "ledger-pin");
        thread.setDaemon(true);
        thread.start();
        return pin;
    }

    /** The ledger as stored with the pin, once it is durable; what the write threw is rethrown as it was thrown. */
    ShardLedgers.Ledger stored() {
        try {
            return stored.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
