package dev.rawzone.core.accounting;

/** A running {@link Counts}, kept by one thread while a source unit (object, shard, page) is processed. */
public final class Tally {
    private long in;
    private long written;
    private long quarantined;
    private long duplicates;
    private long failed;

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
}
