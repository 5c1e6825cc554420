package dev.rawzone.core.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.observe.WrittenVolume;
import dev.rawzone.core.identity.RawZoneLayout;
import dev.rawzone.core.identity.SourceIdentity;
import dev.rawzone.core.pull.TimeBudget;
import dev.rawzone.core.pipeline.IngestSession;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.pipeline.SessionResult;
import dev.rawzone.core.pipeline.SessionSpec;
import dev.rawzone.core.read.ReadProgress;
import dev.rawzone.core.read.ReadResult;
import dev.rawzone.core.read.ReaderLimits;
import dev.rawzone.core.read.RecordReader;
import dev.rawzone.core.read.RecordReaders;
import dev.rawzone.core.read.SourceFormat;
import dev.rawzone.core.read.UnreadableObjectException;
import dev.rawzone.core.route.Route;
import dev.rawzone.core.route.Routing;
import dev.rawzone.core.validate.CsvCoercion;
import dev.rawzone.core.validate.DatasetSchema;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.UnknownDatasetException;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.PartPublisher;
import dev.rawzone.core.write.Position;
import dev.rawzone.core.write.PublishedPart;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ingests one announced object version, streamed: first the decision (dataset, format, schema version) every
 * attempt at this version keeps to, then records to the raw zone, rejects to quarantine, then a manifest that
 * marks the version done. Every write is conditional and every name derives from the object's
 * identity and record positions, so a repeat, a retry or a re-run after a crash writes each record once.
 *
 * <p>An object is read in segments ({@link ObjectDecision#segment()}: parts end where a segment ends, in every
 * attempt alike). When the {@link TimeBudget} is spent, the invocation stops at the next segment end, records how
 * far it got ({@link ProgressStore}) and reports {@link ObjectOutcome#CONTINUED}; the next attempt at the object
 * skips what was read by counting line ends and goes on, and the one that reaches the end writes the manifest
 * for all of them.
 *
 * <p>An object that cannot be read, wholly or from some line on, is accounted for once: every line before the
 * damage is settled as a record (written, quarantined or a duplicate) and what follows is one quarantined unit,
 * an {@link UnreadableRemainder} whose copy in quarantine is the whole object (see {@link WholeObjectQuarantine}).
 */
public final class S3ObjectIngester {
    static final String UNROUTED = "unrouted";
    /** The unread rest of a superseded object: a name no part has, since a part may start on the same line. */
    static final String REST_SUFFIX = "-rest" + PartsPastStop.PART_SUFFIX;
    private static final SessionResult NOTHING_READ = new SessionResult(Counts.ZERO, Counts.ZERO, List.of(), List.of());

    private final S3Client s3;
    private final ConditionalSink raw;
    private final Routing routing;
    private final SchemaCatalogue catalogue;
    private final RecordValidator validator;
    private final CsvCoercion coercion;
    private final PartPolicy policy;
    private final ReaderLimits limits;
    private final ObjectMapper mapper;
    private final WholeObjectQuarantine wholeObjectQuarantine;
    private final ManifestStore manifests;
    private final ObjectDecisions decisions;
    private final ProgressStore progress;

    public S3ObjectIngester(S3Client s3, ConditionalSink raw, String rawBucket, Routing routing,
                            SchemaCatalogue catalogue, PartPolicy policy, ReaderLimits limits, ObjectMapper mapper) {
        this.s3 = s3;
        this.raw = raw;
        this.routing = routing;
        this.catalogue = catalogue;
        this.validator = new RecordValidator(catalogue);
        this.coercion = new CsvCoercion();
        this.policy = policy;
        this.limits = limits;
        this.mapper = mapper;
        this.wholeObjectQuarantine = new WholeObjectQuarantine(s3, raw, rawBucket);
        this.manifests = new ManifestStore(raw, mapper);
        this.decisions = new ObjectDecisions(raw, mapper);
        this.progress = new ProgressStore(raw, mapper);
    }

    public ObjectReport ingest(ObjectNotice notice, RunContext run) {
        return ingest(notice, run, TimeBudget.unlimited());
    }

    public ObjectReport ingest(ObjectNotice notice, RunContext run, TimeBudget budget) {
        SourceIdentity identity = notice.identity();
        Optional<HeadObjectResponse> head;
        try {
            head = head(notice);
        } catch (ObjectChangedException e) {
            return superseded(notice, e.getMessage(), progress.furthest(identity), run);
        }
        if (head.isEmpty()) {
            return ObjectReport.withoutOutput(notice, Optional.empty(), ObjectOutcome.MISSING,
                    Optional.of("object no longer exists; nothing to ingest"), Counts.ZERO);
        }
        LocalDate date = head.get().lastModified().atZone(ZoneOffset.UTC).toLocalDate();
        ObjectDecision decision = decisions.decide(identity, () -> decide(notice.key(), date), run);
        String dataset = decision.dataset();
        String manifestKey = RawZoneLayout.manifest("s3", dataset, date, identity.stem() + ".json");
        Optional<ManifestStore.Manifest> finished = manifests.read(manifestKey);
        if (finished.isPresent()) {
            return alreadyIngested(notice, dataset, finished.get());
        }
        if (decision.unusable().isPresent()) {
            ObjectReport report = quarantineFrom(notice, dataset, date, head.get().contentLength(),
                    decision.unusable().get(), 1, NOTHING_READ);
            return close(manifestKey, report, ObjectProgress.NONE, run);
        }
        ObjectProgress earlier = progress.furthest(identity);
        if (earlier.started() && !earlier.eTag().equals(head.get().eTag())) {
            return superseded(notice, "the object's ETag is " + head.get().eTag() + ", not " + earlier.eTag(), earlier,
                    run);
        }
        ObjectReport report = readRecords(notice, decision, date, head.get(), earlier, budget, run);
        if (report.outcome() == ObjectOutcome.CONTINUED || report.outcome() == ObjectOutcome.CONTINUED_BY_ANOTHER) {
            return report;
        }
        return close(manifestKey, report, earlier, run);
    }

    /**
     * The object changed under its name: not read (further). If earlier invocations had read part of it, what they
     * settled stays, and so do the parts an attempt published past the recorded stop before it crashed
     * ({@link PartsPastStop}), the first attempt's too when it crashed before recording any stop: the manifest
     * lists them and counts their records. The rest of the content, which is gone now, counts as one quarantined
     * unit (how many records it held is unknown) with an entry at its first line no part accounts for, so that
     * nothing of the version is dropped without a count and nothing is counted twice; the manifest closes the
     * object, so it is not read on from the middle of other content. A version of which nothing was written is
     * reported superseded with no counts: its content is gone, as if it had changed before its notice came.
     */
    private ObjectReport superseded(ObjectNotice notice, String why, ObjectProgress earlier, RunContext run) {
        ObjectDecision decision;
        LocalDate date;
        if (earlier.started()) {
            date = earlier.date();
            decision = decisions.decide(notice.identity(), () -> decide(notice.key(), earlier.date()), run);
        } else {
            Optional<ObjectDecision> stored = decisions.stored(notice.identity()).filter(d -> d.date().isPresent());
            if (stored.isEmpty()) {
                return nothingWritten(notice, why);
            }
            decision = stored.get();
            date = decision.date().get();
        }
        String manifestKey = RawZoneLayout.manifest("s3", decision.dataset(), date, notice.identity().stem() + ".json");
        Optional<ManifestStore.Manifest> finished = manifests.read(manifestKey);
        if (finished.isPresent()) {
            return alreadyIngested(notice, decision.dataset(), finished.get());
        }
        PartsPastStop past = partsPastStop(notice.identity(), decision, date, earlier.read().lines());
        if (!earlier.started() && past.isEmpty()) {
            return nothingWritten(notice, why);
        }
        long unread = past.firstUnaccounted();
        String reason = readBefore(earlier) + pastStop(past) + "; the rest, from line " + unread
                + exceptParts(past.reachingTo(unread)) + ", is not read and counts as one quarantined unit, not records: "
                + why;
        IngestSession session = session(notice.identity(), decision, date, run, REST_SUFFIX);
        session.reject(Position.of(unread), reason, "");
        SessionResult rest = session.finish();
        ObjectReport report = new ObjectReport(notice, Optional.of(decision.dataset()), ObjectOutcome.SUPERSEDED,
                Optional.of(reason), rest.counts().plus(past.seen()), rest.stored().plus(past.stored()),
                past.dataKeys(), ObjectProgress.joined(past.quarantineKeys(), keys(rest.quarantineParts())),
                Optional.empty(), volume(rest));
        return close(manifestKey, report, earlier, run);
    }

    private static ObjectReport nothingWritten(ObjectNotice notice, String why) {
        return ObjectReport.withoutOutput(notice, Optional.empty(), ObjectOutcome.SUPERSEDED, Optional.of(why),
                Counts.ZERO);
    }

    private static String readBefore(ObjectProgress earlier) {
        if (!earlier.started()) {
            return "changed before any invocation had recorded a stop";
        }
        return "changed after " + earlier.invocations() + " invocation(s) had read lines 1-" + earlier.read().lines()
                + " (" + earlier.counts().in() + " records, settled and kept)";
    }

    private PartsPastStop partsPastStop(SourceIdentity identity, ObjectDecision decision, LocalDate date, long stop) {
        String names = identity.stem() + "-";
        List<String> dataPrefixes = decision.unusable().isPresent() ? List.of() : catalogue.versions(decision.dataset())
                .stream().map(v -> RawZoneLayout.data("s3", decision.dataset(), v, date, names)).toList();
        String quarantinePrefix = RawZoneLayout.quarantine("s3", decision.dataset(), date, names);
        return PartsPastStop.find(raw, dataPrefixes, quarantinePrefix, stop);
    }

    private static String pastStop(PartsPastStop past) {
        if (past.isEmpty()) {
            return "";
        }
        Counts kept = past.stored();
        return "; an attempt that crashed before recording its stop had published " + past.dataKeys().size()
                + " data and " + past.quarantineKeys().size() + " quarantine part(s) past line "
                + past.stop() + " (" + kept.in() + " records, counted here as settled)";
    }

    private static String exceptParts(List<PartsPastStop.Part> beyond) {
        return beyond.isEmpty() ? "" : " less the lines held by the " + beyond.size() + " of those part(s) that reach"
                + " past it (first lines " + beyond.get(0).first() + "-" + beyond.get(beyond.size() - 1).first() + ")";
    }

    /**
     * Writes the manifest that marks the object done. Until it is written the object is not: if the write fails,
     * its records count as failed for retry (their parts stay, and the retry finds them written).
     */
    private ObjectReport close(String manifestKey, ObjectReport report, ObjectProgress earlier, RunContext run) {
        try {
            manifests.write(manifestKey, report, earlier, run);
            return report;
        } catch (RuntimeException e) {
            long in = report.counts().in();
            throw new ObjectIngestFailure(new ObjectReport(report.notice(), report.dataset(), ObjectOutcome.FAILED,
                    Optional.of("its manifest was not written: " + e), new Counts(in, 0, 0, 0, in), report.stored(),
                    report.dataKeys(), report.quarantineKeys(), report.unreadable(), report.written()), e);
        }
    }

    /** Every record the manifest counts is, seen again, a duplicate. */
    private static ObjectReport alreadyIngested(ObjectNotice notice, String dataset, ManifestStore.Manifest finished) {
        long seen = finished.counts().in();
        Counts already = new Counts(seen, 0, 0, seen, 0);
        return new ObjectReport(notice, Optional.of(dataset), ObjectOutcome.ALREADY_INGESTED, Optional.empty(),
                already, already, List.of(), List.of(), finished.unreadable(), WrittenVolume.NONE);
    }

    /** The decision for an object not started yet, from the routing and schemas this container has. */
    private ObjectDecision decide(String key, LocalDate date) {
        Optional<Route> route = routing.route(key);
        if (route.isEmpty()) {
            return ObjectDecision.unusable(UNROUTED, "no route for key " + key, date);
        }
        String dataset = route.get().dataset();
        Optional<SourceFormat> format = format(route.get(), key);
        if (format.isEmpty()) {
            return ObjectDecision.unusable(dataset, "unknown format: name the object .jsonl, .ndjson, .json or .csv "
                    + "(optionally .gz), or set the route's format", date);
        }
        try {
            return ObjectDecision.usable(dataset, format.get(), catalogue.currentVersion(dataset), policy, date);
        } catch (UnknownDatasetException e) {
            return ObjectDecision.unusable(dataset, e.getMessage(), date);
        }
    }

    private ObjectReport readRecords(ObjectNotice notice, ObjectDecision decision, LocalDate date,
                                     HeadObjectResponse head, ObjectProgress earlier, TimeBudget budget,
                                     RunContext run) {
        long size = head.contentLength();
        PartPolicy segment = decision.segment().orElse(policy);
        String dataset = decision.dataset();
        SourceFormat format = decision.format().orElseThrow();
        int current = decision.schemaVersion();
        DatasetSchema currentSchema = catalogue.schema(dataset, current);
        IngestSession session = session(notice.identity(), decision, date, run);
        SessionResult settled;
        try (ResponseInputStream<GetObjectResponse> body = s3.getObject(get(notice));
             RecordReader reader = RecordReaders.open(format, withExpectedLength(body, size), limits)) {
            if (earlier.started()) {
                reader.skipTo(earlier.read());
            }
            ReadProgress segmentStart = earlier.read();
            for (Optional<ReadResult> next = reader.next(); next.isPresent(); next = reader.next()) {
                ReadResult result = next.get();
                Position position = Position.of(result.line());
                if (result instanceof ReadResult.Parsed parsed) {
                    session.accept(position, parsed.record(), parsed.text());
                } else if (result instanceof ReadResult.Row row) {
                    session.acceptTree(position, coercion.coerce(row.record(), currentSchema));
                } else if (result instanceof ReadResult.Rejected rejected) {
                    session.reject(position, rejected.reason(), rejected.raw());
                }
                ReadProgress read = reader.progress();
                if (read.lines() - segmentStart.lines() >= segment.maxRecords()
                        || read.bytes() - segmentStart.bytes() >= segment.maxBytes()) {
                    session.endSegment();
                    segmentStart = read;
                    if (!budget.allows(Duration.ZERO) && !session.coversPast(Position.of(read.lines()))) {
                        return stop(notice, dataset, earlier, read, head.eTag(), date, session.finish(), run);
                    }
                }
            }
            settled = session.finish();
        } catch (UnreadableObjectException e) {
            return quarantineFrom(notice, dataset, date, size, e.reason(), Math.max(1, e.line()), session.finish());
        } catch (IOException | RuntimeException e) {
            session.failUnsettled();
            throw new ObjectIngestFailure(ObjectReport.withoutOutput(notice, Optional.of(dataset),
                    ObjectOutcome.FAILED, Optional.of(e.toString()), session.tally().counts()), e);
        }
        Optional<String> resumed = earlier.started() ? Optional.of("resumed after line " + earlier.read().lines()
                + ", read by " + earlier.invocations() + " earlier invocation(s)") : Optional.empty();
        return new ObjectReport(notice, Optional.of(dataset), ObjectOutcome.INGESTED, resumed, settled.counts(),
                settled.stored(), keys(settled.dataParts()), keys(settled.quarantineParts()), Optional.empty(),
                volume(settled));
    }

    private IngestSession session(SourceIdentity identity, ObjectDecision decision, LocalDate date, RunContext run) {
        return session(identity, decision, date, run, PartsPastStop.PART_SUFFIX);
    }

    /** Parts named {@code <stem>-<first line, 12 digits><suffix>}. */
    private IngestSession session(SourceIdentity identity, ObjectDecision decision, LocalDate date, RunContext run,
                                  String suffix) {
        SessionSpec spec = new SessionSpec(identity, decision.dataset(), first -> date, "line",
                first -> identity.stem() + "-" + String.format("%012d", first.major()) + suffix,
                policy.withGzipLevel(decision.gzipLevel()), run);
        return new IngestSession(spec, validator, decision.schemaVersion(), raw, mapper, PartPublisher.inBackground());
    }

    /** Records how far the object was read (every part up to there is published) and reports what this invocation did. */
    private ObjectReport stop(ObjectNotice notice, String dataset, ObjectProgress earlier, ReadProgress read,
                              String eTag, LocalDate date, SessionResult settled, RunContext run) {
        List<String> data = keys(settled.dataParts());
        List<String> rejects = keys(settled.quarantineParts());
        boolean first = progress.record(notice.identity(),
                earlier.then(read, eTag, date, settled.stored(), data, rejects), run);
        String reason = "stopped after line " + read.lines() + " (byte " + read.bytes() + " of the content) as time ran"
                + " out" + (first ? "; the next invocation goes on" : "; another attempt had stopped there too and"
                + " handed the rest on");
        return new ObjectReport(notice, Optional.of(dataset), first ? ObjectOutcome.CONTINUED
                : ObjectOutcome.CONTINUED_BY_ANOTHER, Optional.of(reason), settled.counts(), settled.stored(), data,
                rejects, Optional.empty(), volume(settled));
    }

    /**
     * Records read before the damage stay as the session settled them (written, quarantined one by one, or found
     * already written): they are valid, and the raw zone is immutable. The object goes whole to quarantine as
     * evidence, and what could not be read from {@code fromLine} on counts as one quarantined unit.
     */
    private ObjectReport quarantineFrom(ObjectNotice notice, String dataset, LocalDate date, long size, String reason,
                                        long fromLine, SessionResult settled) {
        String key = RawZoneLayout.quarantine("s3", dataset, date, notice.identity().stem() + ".object");
        UnreadableRemainder remainder = new UnreadableRemainder(key, fromLine, reason);
        boolean copied = wholeObjectQuarantine.copy(notice, remainder, size);
        Counts quarantinedUnit = new Counts(1, 0, 1, 0, 0);
        Counts unit = copied ? quarantinedUnit : new Counts(1, 0, 0, 1, 0);
        List<String> rejects = new ArrayList<>(keys(settled.quarantineParts()));
        rejects.add(key);
        return new ObjectReport(notice, Optional.of(dataset), ObjectOutcome.QUARANTINED_WHOLE, Optional.of(reason),
                settled.counts().plus(unit), settled.stored().plus(quarantinedUnit), keys(settled.dataParts()),
                rejects, Optional.of(remainder), volume(settled));
    }

    private static ExpectedLengthInputStream withExpectedLength(ResponseInputStream<GetObjectResponse> body, long size) {
        Long announced = body.response().contentLength();
        return new ExpectedLengthInputStream(body, announced == null ? size : announced);
    }

    private static WrittenVolume volume(SessionResult settled) {
        return WrittenVolume.of(settled.dataParts()).plus(WrittenVolume.of(settled.quarantineParts()));
    }

    private static List<String> keys(List<PublishedPart> parts) {
        return parts.stream().map(PublishedPart::key).toList();
    }

    private Optional<HeadObjectResponse> head(ObjectNotice notice) {
        HeadObjectRequest.Builder request = HeadObjectRequest.builder().bucket(notice.bucket()).key(notice.key());
        notice.versionId().ifPresentOrElse(request::versionId, () -> notice.quotedETag().ifPresent(request::ifMatch));
        try {
            return Optional.of(s3.headObject(request.build()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            if (e.statusCode() == 412) {
                throw new ObjectChangedException("the key now holds other content than the ETag announced ("
                        + notice.eTag().orElse("") + "); the newer upload has its own notification");
            }
            throw e;
        }
    }

    private static GetObjectRequest get(ObjectNotice notice) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(notice.bucket()).key(notice.key());
        notice.versionId().ifPresentOrElse(request::versionId, () -> notice.quotedETag().ifPresent(request::ifMatch));
        return request.build();
    }

    private static Optional<SourceFormat> format(Route route, String key) {
        return route.format().map(f -> f.equals("csv") ? SourceFormat.CSV : SourceFormat.JSON_LINES)
                .or(() -> SourceFormat.fromKey(key));
    }

    private static final class ObjectChangedException extends RuntimeException {
        ObjectChangedException(String message) {
            super(message);
        }
    }
}
