package dev.rawzone.core.accounting;

/** A running {@link Counts}, kept by one thread while a source unit (object, shard, page) is processed. */
public final class Tally {
    private long in;
    private long written;
    private long quarantined;
    private long duplicates;
    private long failed;
    private long foundWritten;
    private long foundQuarantined;

    public void in(long n) {
        in += n;
    }

    public void written(long n) {
        written += n;
    }

    public void quarantined(long n) {
        quarantined += n;
    }

    public void duplicates(long n) {
        duplicates += n;
    }

    /** Duplicates found in a data part another attempt at the same source unit wrote. */
    public void foundWritten(long n) {
        duplicates += n;
        foundWritten += n;
    }

    /** Duplicates found in a quarantine part another attempt at the same source unit wrote. */
    public void foundQuarantined(long n) {
        duplicates += n;
        foundQuarantined += n;
    }

    public void failed(long n) {
        failed += n;
    }

    /** Records that entered but have not settled yet; they are what fails if processing stops now. */
    public long unsettled() {
        return in - written - quarantined - duplicates - failed;
    }

    public Counts counts() {
        return new Counts(in, written, quarantined, duplicates, failed);
    }

    /**
     * The counts as the source unit's own record (a manifest over all attempts at it) takes them: a record found in
     * a part another attempt at the same unit wrote is written or quarantined there, which attempt wrote it being a
     * matter of timing; only duplicates found elsewhere stay duplicates.
     */
    public Counts asStored() {
        return new Counts(in, written + foundWritten, quarantined + foundQuarantined,
                duplicates - foundWritten - foundQuarantined, failed);
    }
}
