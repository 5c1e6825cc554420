package dev.rawzone.core.replay.redrive;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.event.MalformedEventException;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.redrive.MessageOutcome.Disposition;
import dev.rawzone.core.s3.Announcement;
import dev.rawzone.core.s3.ObjectIngestFailure;
import dev.rawzone.core.s3.ObjectNotice;
import dev.rawzone.core.s3.ObjectOutcome;
import dev.rawzone.core.s3.ObjectReport;
import dev.rawzone.core.s3.S3EventNotices;
import dev.rawzone.core.s3.S3ObjectIngester;

import java.util.ArrayList;
import java.util.List;

/**
 * Re-drives a message of the S3 ingest function's failure queue: the S3 event it holds (a direct notification or
 * EventBridge's {@code Object Created}) gives the notices the function derives from it ({@link S3EventNotices}),
 * and each is ingested again. Every object version is ingested once whatever the number of attempts (its manifest
 * marks it done, its parts are written if absent), so the message is settled when every notice is.
 */
public final class S3DeadLetters implements MessageRedrive {
    private final S3ObjectIngester ingester;
    private final ObjectMapper mapper;
    private final S3EventNotices notices;

    public S3DeadLetters(S3ObjectIngester ingester, ObjectMapper mapper) {
        this.ingester = ingester;
        this.mapper = mapper;
        this.notices = new S3EventNotices(mapper);
    }

    @Override
    public MessageOutcome redrive(String body, ReplayRun run) {
        FailedInvocation failed;
        List<Announcement> announcements;
        try {
            failed = FailedInvocation.read(body, mapper);
            announcements = notices.parse(mapper.writeValueAsBytes(failed.event()));
        } catch (MalformedEventException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return new MessageOutcome(Disposition.KEEP, Counts.ZERO, List.of(), List.of(),
                    "kept, not an S3 event this redrive can read: " + e.getMessage());
        }
        List<ObjectNotice> toIngest = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (Announcement announcement : announcements) {
            if (announcement instanceof Announcement.Ingest ingest) {
                toIngest.add(ingest.notice());
            } else if (announcement instanceof Announcement.Ignore ignore) {
                ignored.add("ignored " + ignore.bucket() + "/" + ignore.key() + ": " + ignore.reason());
            }
        }
        return run.dryRun() ? planned(failed, toIngest, ignored) : ingest(failed, toIngest, ignored, run);
    }

    private static MessageOutcome planned(FailedInvocation failed, List<ObjectNotice> toIngest, List<String> ignored) {
        List<String> uris = toIngest.stream().map(notice -> notice.identity().uri()).toList();
        List<String> said = new ArrayList<>();
        uris.forEach(uri -> said.add("ingest " + uri));
        said.addAll(ignored);
        return new MessageOutcome(Disposition.PLANNED, Counts.ZERO, uris, List.of(),
                failed.describe() + ": would " + (said.isEmpty() ? "do nothing" : String.join(", ", said)));
    }

    private MessageOutcome ingest(FailedInvocation failed, List<ObjectNotice> toIngest, List<String> ignored,
                                  ReplayRun run) {
        Counts counts = Counts.ZERO;
        List<String> read = new ArrayList<>();
        List<String> written = new ArrayList<>();
        List<String> done = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        for (ObjectNotice notice : toIngest) {
            String uri = notice.identity().uri();
            read.add(uri);
            try {
                ObjectReport report = ingester.ingest(notice, run.context());
                counts = counts.plus(report.counts());
                written.addAll(report.dataKeys());
                written.addAll(report.quarantineKeys());
                String said = report.outcome() + " " + uri + report.reason().map(reason -> " (" + reason + ")").orElse("");
                if (report.outcome() == ObjectOutcome.MISSING || report.outcome() == ObjectOutcome.SUPERSEDED) {
                    gone.add(said);
                } else {
                    done.add(said);
                }
            } catch (ObjectIngestFailure failure) {
                counts = counts.plus(failure.report().counts());
                failures.add(uri + " failed: " + failure.getCause());
            } catch (RuntimeException e) {
                // the ingest function failed the same way (an unreadable schema location, a routing that throws):
                // the message stays for a redrive after the cause is fixed
                failures.add(uri + " failed: " + e);
            }
        }
        done.addAll(ignored);
        if (!failures.isEmpty()) {
            return new MessageOutcome(Disposition.KEEP, counts, read, written,
                    "kept, " + failed.describe() + ": " + String.join("; ", failures));
        }
        if (!gone.isEmpty()) {
            // The version the event announced is no longer there to re-read: its records never entered the raw zone,
            // and the run reports them lost with the exact version, never as settled.
            return new MessageOutcome(Disposition.LOST, counts, read, written, failed.describe()
                    + ": lost at the source, the announced version is gone: " + String.join("; ", gone));
        }
        return new MessageOutcome(Disposition.SETTLED, counts, read, written,
                failed.describe() + ": " + (done.isEmpty() ? "nothing to ingest" : String.join(", ", done)));
    }
}
