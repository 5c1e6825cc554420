package dev.rawzone.core.s3;

/**
 * Ingestion of an object stopped part-way (throttling, a 5xx, a broken connection, denied access). What was
 * written stays; the counts say how many records were left unsettled, and a retry completes the object.
 */
public final class ObjectIngestFailure extends RuntimeException {
    private final transient ObjectReport report;

    public ObjectIngestFailure(ObjectReport report, Throwable cause) {
        super("ingestion of " + report.notice().identity().uri() + " failed: " + cause, cause);
        this.report = report;
    }

    public ObjectReport report() {
        return report;
    }
}
