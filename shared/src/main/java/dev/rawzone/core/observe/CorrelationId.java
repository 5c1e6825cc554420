package dev.rawzone.core.observe;

import org.slf4j.MDC;

/**
 * The source position a log line is about, as {@code correlation_id} in every JSON log line while it is open. A
 * nested one (a replay unit that re-drives a shard) gives the outer one back when it closes.
 * <p>Positions: {@code s3://bucket/key?versionId=...} per object, {@code <streamArn>/<shardId>} per shard batch,
 * {@code pull://<source>/<endpoint>} per pull and {@code .../page/<seq>?cursor=<checkpoint cursor>} per page,
 * {@code replay://<run>/<kind>/<key>} per replay unit.
 */
public final class CorrelationId implements AutoCloseable {
    static final String KEY = "correlation_id";

    private final String previous;

    private CorrelationId(String previous) {
        this.previous = previous;
    }

    public static CorrelationId of(String position) {
        CorrelationId opened = new CorrelationId(MDC.get(KEY));
        MDC.put(KEY, position);
        return opened;
    }

    /** Moves this id on to another position of the same unit (a pull's next page); close still gives back the outer one. */
    public void moveTo(String position) {
        MDC.put(KEY, position);
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, previous);
        }
    }
}
