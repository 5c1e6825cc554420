package dev.rawzone.core.kinesis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.accounting.Tally;
import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.identity.RawZoneLayout;
import dev.rawzone.core.identity.SourceIdentity;
import dev.rawzone.core.observe.CorrelationId;
import dev.rawzone.core.observe.WrittenVolume;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.Lineage;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.PartWriter;
import dev.rawzone.core.write.Position;
import dev.rawzone.core.write.PublishedPart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * One shard's records of one batch:
 * <ol>
 *   <li>read the shard's ledger (one GetItem);</li>
 *   <li>expand KPL aggregates into user records, order them by (sequence, sub-sequence);</li>
 *   <li>skip, as duplicates and without any S3 call, records the ledger says are settled (at or below
 *       {@code through} and outside its holes), records the ledger says a durable part of their writer covers, and
 *       a position delivered twice in the batch;</li>
 *   <li>unless an earlier attempt did, pin the rest to the configuration they are decided with (the stream's route
 *       and its datasets' newest schema versions) and remember the first of them as not settled, in one conditional
 *       ledger write before anything is written: a retry in a container with a newer configuration, or after every
 *       attempt crashed, still decides every record as the first attempt did;</li>
 *   <li>meanwhile (the pin is written on a thread of its own, {@link BackgroundPin}), classify the rest (decode,
 *       route, validate, with the pinned configuration) and hand each to its writer: a dataset's schema version, or
 *       a dataset's quarantine (a poison record is settled there, never blocking the shard); if the ledger as
 *       stored with the pin is not the one they were decided with (a concurrent advance or pin was merged in), they
 *       are decided again with the stored one;</li>
 *   <li>publish the writers' parts (conditional puts named from stream ARN, shard and first position; a taken key is
 *       an earlier attempt's part, whose {@code position-last} says which records are duplicates);</li>
 *   <li>advance the ledger once (compare-and-set): {@code through} the last record of the unbroken settled
 *       prefix, plus each writer's durable reach beyond it, and {@code failedFrom} the first unsettled record.</li>
 * </ol>
 * If anything fails, publishing stops and the first unsettled record is reported, so Lambda re-delivers from there
 * in order. If Lambda gives that range up instead (retry limit or record age: it goes to the on-failure destination
 * as shard + sequence range) and delivers the next batch, that batch starts past {@code failedFrom}: the ledger then
 * keeps the skipped range open as a hole while {@code through} moves on, so a later re-drive of exactly that range
 * (re-read from the stream with {@code AT_SEQUENCE_NUMBER}) is ingested, not skipped ({@link LedgerState}).
 * <p>
 * An attempt of the given-up range may have written parts the ledger never learnt of (it crashed, or a put timed out
 * after writing, before its ledger advance; its pin is all the ledger holds), and such a part may reach past the
 * range: attempt A of 5..8 writes a part named from 5 holding 5..8 and crashes, its retries fail at 5, the mapping
 * gives 5..7 up and delivers a batch from 8. Record 8 must not go into a part named from 8. So when the ledger as
 * read shows a batch starting past {@code failedFrom} while a pin reaches the batch's first record, every writer the
 * pinned configurations can lead to (each dataset's schema versions and quarantine, the unrouted quarantine) lists
 * its part names between those of {@code failedFrom} and of the batch's first record (names sort in position order,
 * {@link KinesisPartNames}; under the date of each of the batch's records and the day before the earliest). The
 * batch's records of a writer up to the furthest {@code position-last} found are duplicates, and each writer's reach
 * goes into the ledger advance as coverage, so a later batch skips the writer's records there too (the next batch
 * starts where the ledger expects and lists nothing). The hole {@code [failedFrom, first)} still opens: its re-drive
 * finds its records in those parts by key (412, then {@code position-last}). Nothing is listed on any other path.
 * Not found: a part whose first record's date is before the day before the batch's earliest, or whose name is hashed
 * (sequence numbers past 59 digits do not sort); its records past the range are written again (duplicates, not
 * loss).
 * <p>
 * If the ledger cannot be advanced (or would hold more holes than it may), the first record past the old ledger is
 * reported instead: the retry then re-finds every part this run wrote (by key) and writes nothing twice.
 */
final class ShardRun {
    private static final Logger LOG = LoggerFactory.getLogger(ShardRun.class);
    private static final String SOURCE = "kinesis";

    private final ConditionalSink sink;
    private final ShardLedgers ledgers;
    private final RecordClassifier classifier;
    private final PartPolicy policy;
    private final ObjectMapper mapper;
    private final RunContext run;
    private final String streamArn;
    private final String stream;
    private final String shardId;
    private final SourceIdentity identity;
    private final List<UserRecord> users;
    private final Optional<OnFailureRange> redriven;
    private final RecordOutcome[] outcomes;
    /** The dataset of the writer each record was given to, if any. */
    private final String[] datasets;
    private final Map<Position, LocalDate> dates = new HashMap<>();
    private final Map<String, ShardConfig> configs = new HashMap<>();

    ShardRun(ConditionalSink sink, ShardLedgers ledgers, RecordClassifier classifier, PartPolicy policy,
             ObjectMapper mapper, RunContext run, String streamArn, String shardId, List<StreamRecord> records,
             Optional<OnFailureRange> redriven) {
        this.sink = sink;
        this.ledgers = ledgers;
        this.classifier = classifier;
        this.policy = policy;
        this.mapper = mapper;
        this.run = run;
        this.streamArn = streamArn;
        this.stream = StreamRecord.streamName(streamArn);
        this.shardId = shardId;
        this.redriven = redriven;
        this.identity = new SourceIdentity(SOURCE, streamArn + "/" + shardId, KeyParts.sanitise(stream + "." + shardId));
        List<UserRecord> expanded = new ArrayList<>();
        for (StreamRecord record : records) {
            expanded.addAll(UserRecord.of(record));
        }
        expanded.sort(Comparator.comparing(UserRecord::position)); // stable: a repeated position keeps its order
        this.users = List.copyOf(expanded);
        this.outcomes = new RecordOutcome[users.size()];
        this.datasets = new String[users.size()];
        for (UserRecord user : users) {
            dates.putIfAbsent(user.position(), LocalDate.ofInstant(user.source().arrival(), ZoneOffset.UTC));
        }
    }

    ShardResult run() {
        try (CorrelationId ignored = CorrelationId.of(correlationId())) {
            return settle();
        }
    }

    /** The batch's source positions: {@code <streamArn>/<shardId>/<firstSequence>-<lastSequence>}. */
    private String correlationId() {
        if (users.isEmpty()) {
            return identity.uri();
        }
        return identity.uri() + "/" + users.get(0).source().sequenceNumber() + "-"
                + users.get(users.size() - 1).source().sequenceNumber();
    }

    private ShardResult settle() {
        ShardLedgers.Ledger ledger;
        try {
            ledger = ledgers.read(streamArn, shardId);
        } catch (RuntimeException e) {
            LOG.error("shard {}: ledger unreadable, the whole shard batch is retried: {}", shardId, e.toString());
            return result(0, Optional.of("ledger unreadable: " + e), List.of());
        }
        LedgerState asRead = ledger.state();
        if (redriven.isPresent()) {
            Optional<String> refusal;
            try {
                refusal = refusalOfAnUnrecordedRange(asRead);
            } catch (RuntimeException e) {
                return result(0, Optional.of("parts of the re-driven range not looked up: " + e), List.of());
            }
            if (refusal.isPresent()) {
                LOG.warn("shard {}: {}", shardId, refusal.get());
                return result(0, refusal, List.of());
            }
        }
        ShardLedgers.Ledger toPin = new ShardLedgers.Ledger(ledger.checkpoint(), deciding(asRead));
        Optional<LedgerState> pin = pin(toPin.state());
        // The records are decided while the pin is written; nothing is written before the pin is durable.
        Optional<BackgroundPin> pinning = pin.map(next -> BackgroundPin.start(ledgers, toPin, next));
        LedgerState expected = pin.map(next -> toPin.state().merge(next)).orElse(toPin.state());
        Decisions decisions = decide(expected);
        ledger = toPin;
        if (pinning.isPresent()) {
            try {
                ledger = pinning.get().stored();
            } catch (RuntimeException e) {
                forgetDecisions();
                LOG.error("shard {}: the range could not be pinned before writing, the whole shard batch is retried: "
                        + "{}", shardId, e.toString());
                return result(0, Optional.of("ledger not pinned: " + e), List.of());
            }
            if (!ledger.state().equals(expected)) {
                LOG.info("shard {}: the pin met a concurrent change of the ledger; the records are decided again with "
                        + "the ledger as stored", shardId);
                forgetDecisions();
                decisions = decide(ledger.state());
            }
        }
        Map<String, Writer> writers = decisions.writers();
        Optional<String> failure = decisions.failure();
        int segmentStart = decisions.segmentStart();
        Map<String, Position> unrecorded;
        try {
            unrecorded = skipWhatUnrecordedPartsHold(asRead, writers);
        } catch (RuntimeException e) {
            LOG.error("shard {}: parts an unrecorded attempt may have written could not be looked up, the whole shard "
                    + "batch is retried: {}", shardId, e.toString());
            return result(0, Optional.of("unrecorded parts not looked up: " + e), List.of());
        }
        // Writers hold only records before a classification failure, so they are published even then; after a
        // failed put nothing more is published (the shard is re-delivered from its first unsettled record).
        List<Writer> ordered = new ArrayList<>(writers.values());
        ordered.sort(Comparator.comparingInt(Writer::firstIndex));
        for (Writer writer : ordered) {
            try {
                writer.publish();
            } catch (RuntimeException e) {
                failure = Optional.of("writing " + writer.name + " failed: " + e
                        + failure.map(earlier -> "; " + earlier).orElse(""));
                break;
            }
        }
        int firstUnsettled = firstUnsettled();
        try {
            ledgers.advance(ledger, nextState(deciding(ledger.state()), firstUnsettled, ordered, unrecorded));
        } catch (RuntimeException e) {
            LOG.error("shard {}: ledger not advanced ({}); Lambda re-delivers from the first record past it, whose "
                    + "parts are durable and will be found by key", shardId, e.toString());
            return result(segmentStart, Optional.of("ledger not advanced: " + e), ordered);
        }
        return result(firstUnsettled, failure, ordered);
    }

    /**
     * The ledger as this run decides with it: a re-driven on-failure range is open, whatever the ledger took as
     * settled (and also when a concurrent advance, merged into the stored ledger, settles it again meanwhile).
     */
    private LedgerState deciding(LedgerState state) {
        return redriven.map(range -> state.reopened(range.from(), range.to())).orElse(state);
    }

    /**
     * Before anything is written: the records this batch will decide are pinned in the ledger to the configuration
     * they are decided with (unless an earlier attempt pinned them already), and the first of them is remembered as
     * not settled. The state to store in one conditional write, or empty for a retry that finds its range pinned.
     */
    private Optional<LedgerState> pin(LedgerState state) {
        Position first = null;
        Position last = null;
        for (UserRecord user : users) {
            if (!state.settled(user.position())) {
                first = first == null ? user.position() : first;
                last = user.position();
            }
        }
        if (first == null) {
            return Optional.empty();
        }
        boolean pinned = state.pinnedConfig(last).isPresent();
        // Only its own start will do: a start below it belongs to a range given up before it, whose re-drive may
        // settle it while this range is still open.
        boolean remembered = state.failedFroms().contains(first);
        if (pinned && remembered) {
            return Optional.empty();
        }
        return Optional.of(state.pinned(last, classifier.current(stream).toJson(), first));
    }

    /** What deciding the batch's records with a ledger state gave: their writers, and where it stopped. */
    private record Decisions(Map<String, Writer> writers, Optional<String> failure, int segmentStart) {
    }

    /**
     * Each record not settled in {@code ledger} classified with the configuration it pins and handed to its writer;
     * the duplicates marked. Stops at the first record that cannot be classified.
     */
    private Decisions decide(LedgerState ledger) {
        LedgerState state = deciding(ledger);
        int segmentStart = users.size();
        Map<String, Writer> writers = new LinkedHashMap<>();
        Position previous = null;
        for (int i = 0; i < users.size(); i++) {
            Position position = users.get(i).position();
            if (position.equals(previous) || state.settled(position)) {
                outcomes[i] = RecordOutcome.DUPLICATE;
                continue;
            }
            previous = position;
            segmentStart = Math.min(segmentStart, i);
            Verdict verdict;
            try {
                verdict = classifier.classify(users.get(i), configAt(state, position));
            } catch (RuntimeException e) {
                return new Decisions(writers, Optional.of("could not classify " + describe(i) + ": " + e),
                        segmentStart);
            }
            if (state.covered(verdict.writer(), position)) {
                outcomes[i] = RecordOutcome.DUPLICATE;
                continue;
            }
            writers.computeIfAbsent(verdict.writer(), name -> writer(verdict)).add(i, line(verdict, users.get(i)));
        }
        return new Decisions(writers, Optional.empty(), segmentStart);
    }

    private void forgetDecisions() {
        Arrays.fill(outcomes, null);
        Arrays.fill(datasets, null);
    }

    /**
     * Only when the ledger as read shows a batch starting past {@code failedFrom} while a pin reaches the batch's
     * first record (see the class comment): for every writer the pinned configurations can lead to (each dataset's
     * schema versions and quarantine, and the unrouted quarantine), the furthest {@code position-last} of its parts
     * named from a position in {@code [failedFrom, first)}, where that reaches this batch. The batch's records of
     * those writers up to there are duplicates, as if {@link LedgerState#covered} said so; the reaches go into the
     * ledger advance as coverage, for this batch's writers and for writers whose records come in later batches.
     */
    private Map<String, Position> skipWhatUnrecordedPartsHold(LedgerState asRead, Map<String, Writer> writers) {
        if (users.isEmpty()) {
            return Map.of();
        }
        Position first = users.get(0).position();
        // Past a given-up range, or a replay from inside a range still waiting for its re-drive.
        Optional<Position> givenUpFrom = asRead.givenUpBefore(first).or(() -> asRead.holeAt(first)
                .map(LedgerState.Hole::from).filter(from -> from.compareTo(first) < 0));
        if (givenUpFrom.isEmpty() || asRead.pins().stream().noneMatch(pin -> pin.upTo().compareTo(first) >= 0)) {
            return Map.of();
        }
        Map<String, BiFunction<LocalDate, Position, String>> candidates = candidateWriters(asRead.pins().stream()
                .map(pin -> configs.computeIfAbsent(pin.config(), ShardConfig::fromJson)).toList());
        writers.forEach((name, writer) -> candidates.putIfAbsent(name, writer.keyAt));
        TreeSet<LocalDate> days = lookupDays();
        UnrecordedParts parts = new UnrecordedParts(sink);
        Map<String, Position> found = new TreeMap<>();
        candidates.forEach((name, keyAt) -> parts.reach(keyAt, givenUpFrom.get(), first, days)
                .filter(last -> last.compareTo(first) >= 0).ifPresent(last -> found.put(name, last)));
        LOG.info("shard {}: batch from {} follows a range given up from {} that an attempt pinned past it; parts "
                + "named in that range reach into it: {}", shardId, first, givenUpFrom.get(), found);
        found.forEach((name, last) -> Optional.ofNullable(writers.get(name)).ifPresent(w -> w.durableThrough(last)));
        return found;
    }

    /**
     * Every writer the configurations can lead to: each dataset's schema versions up to its newest, its quarantine,
     * and the unrouted quarantine; by name, with the key of a part from a date and a first position.
     */
    private Map<String, BiFunction<LocalDate, Position, String>> candidateWriters(List<ShardConfig> possible) {
        Map<String, BiFunction<LocalDate, Position, String>> candidates = new TreeMap<>();
        candidates.put(Verdict.quarantineWriter(StreamRouting.UNROUTED), quarantineKey(StreamRouting.UNROUTED));
        for (ShardConfig config : possible) {
            config.versions().forEach((dataset, newest) -> {
                candidates.put(Verdict.quarantineWriter(dataset), quarantineKey(dataset));
                for (int version = 1; version <= newest; version++) {
                    candidates.put(Verdict.dataWriter(dataset, version), dataKey(dataset, version));
                }
            });
        }
        return candidates;
    }

    /** The dates of the batch's records and the day before the earliest: where its parts' keys may lie. */
    private TreeSet<LocalDate> lookupDays() {
        TreeSet<LocalDate> days = new TreeSet<>(dates.values());
        days.add(days.first().minusDays(1));
        return days;
    }

    /**
     * A re-driven range the ledger takes as settled and holds no record of (no hole, pin or failure start in it) is
     * either one no attempt could pin, which wrote nothing (its records are decided now, with today's
     * configuration), or one settled since by a path that left no re-driven marker (a live rewind, a redrive by an
     * earlier version), whose records were decided under a configuration the ledger no longer holds: deciding them
     * again with today's could write them a second time under another dataset or schema version. So parts named in
     * the range under any writer today's configuration can lead to (every schema version of its datasets) mean the
     * range is refused, with the keys found. Not found: parts under a dataset today's route no longer leads to.
     */
    private Optional<String> refusalOfAnUnrecordedRange(LedgerState asRead) {
        OnFailureRange range = redriven.orElseThrow();
        if (users.isEmpty() || deciding(asRead).equals(asRead)) {
            return Optional.empty();
        }
        UnrecordedParts parts = new UnrecordedParts(sink);
        TreeSet<LocalDate> days = lookupDays();
        List<String> found = new ArrayList<>();
        candidateWriters(List.of(classifier.current(stream))).values()
                .forEach(keyAt -> found.addAll(parts.named(keyAt, range.from(), range.to(), days)));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("the shard's ledger holds no record of " + range + ", yet parts named in it exist ("
                + String.join(", ", found) + "): its records were decided by an attempt the ledger no longer knows "
                + "of, maybe under another configuration, so they are not decided again with today's; check those "
                + "parts against the range, then delete the message");
    }

    private ShardConfig configAt(LedgerState state, Position position) {
        return state.pinnedConfig(position).map(json -> configs.computeIfAbsent(json, ShardConfig::fromJson))
                .orElseGet(() -> classifier.current(stream));
    }

    /**
     * Records before the first unsettled one are all settled: the ledger can vouch for them. The first unsettled
     * one is remembered as {@code failedFrom}, so that a later batch starting past it is known to follow a range the
     * event source mapping gave up, which then stays open in the ledger for a re-drive.
     */
    private LedgerState nextState(LedgerState read, int firstUnsettled, List<Writer> writers,
                                  Map<String, Position> unrecorded) {
        if (users.isEmpty()) {
            return read;
        }
        Optional<Position> settledThrough = firstUnsettled == 0 ? Optional.empty()
                : Optional.of(users.get(firstUnsettled - 1).position());
        Optional<Position> failedAt = firstUnsettled < users.size()
                ? Optional.of(users.get(firstUnsettled).position()) : Optional.empty();
        Map<String, Position> reach = new HashMap<>(unrecorded);
        for (Writer writer : writers) {
            writer.durableLast().ifPresent(last -> reach.merge(writer.name, last,
                    (found, published) -> found.compareTo(published) >= 0 ? found : published));
        }
        return read.afterBatch(users.get(0).position(), settledThrough, reach, failedAt);
    }

    private int firstUnsettled() {
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null || outcomes[i] == RecordOutcome.FAILED) {
                return i;
            }
        }
        return outcomes.length;
    }

    /**
     * The shard's counts with everything not settled counted as failed, and the batch item failure to report: the
     * Kinesis record holding the user record at {@code reportFrom}, unless that is past the end.
     */
    private ShardResult result(int reportFrom, Optional<String> failure, List<Writer> writers) {
        long written = 0;
        long quarantined = 0;
        long duplicates = 0;
        long failed = 0;
        for (int i = 0; i < outcomes.length; i++) {
            RecordOutcome outcome = outcomes[i] == null ? RecordOutcome.FAILED : outcomes[i];
            outcomes[i] = outcome;
            switch (outcome) {
                case WRITTEN -> written++;
                case QUARANTINED -> quarantined++;
                case DUPLICATE -> duplicates++;
                case FAILED -> failed++;
            }
        }
        Optional<String> reported = reportFrom < users.size()
                ? Optional.of(users.get(reportFrom).source().sequenceNumber()) : Optional.empty();
        if (reported.isPresent() && failure.isEmpty()) {
            failure = Optional.of("unsettled records");
        }
        List<String> dataKeys = new ArrayList<>();
        List<String> quarantineKeys = new ArrayList<>();
        for (Writer writer : writers) {
            (writer.quarantine ? quarantineKeys : dataKeys).addAll(writer.keys);
        }
        Counts counts = new Counts(users.size(), written, quarantined, duplicates, failed);
        if (reported.isPresent()) {
            LOG.warn("shard {}: {}; reporting {} as the batch item failure; {}", shardId, failure.orElse(""),
                    reported.get(), counts.asMap());
        } else {
            LOG.info("shard {}: {}", shardId, counts.asMap());
        }
        return new ShardResult(streamArn, shardId, counts, reported, reported.isPresent() ? failure : Optional.empty(),
                List.copyOf(dataKeys), List.copyOf(quarantineKeys), shares(writers));
    }

    private List<ShardShare> shares(List<Writer> writers) {
        Map<Optional<String>, Tally> tallies = new TreeMap<>(Comparator.comparing(dataset -> dataset.orElse("")));
        Map<Optional<String>, Instant> oldest = new HashMap<>();
        for (int i = 0; i < outcomes.length; i++) {
            Optional<String> dataset = Optional.ofNullable(datasets[i]);
            Tally tally = tallies.computeIfAbsent(dataset, any -> new Tally());
            tally.in(1);
            switch (outcomes[i]) {
                case WRITTEN -> tally.written(1);
                case QUARANTINED -> tally.quarantined(1);
                case DUPLICATE -> tally.duplicates(1);
                case FAILED -> tally.failed(1);
            }
            oldest.merge(dataset, users.get(i).source().arrival(), (a, b) -> a.isBefore(b) ? a : b);
        }
        Map<Optional<String>, WrittenVolume> written = new HashMap<>();
        for (Writer writer : writers) {
            written.merge(Optional.of(writer.lineage.dataset()), writer.written, WrittenVolume::plus);
        }
        List<ShardShare> shares = new ArrayList<>();
        tallies.forEach((dataset, tally) -> shares.add(new ShardShare(dataset, tally.counts(),
                written.getOrDefault(dataset, WrittenVolume.NONE), oldest.get(dataset))));
        return List.copyOf(shares);
    }

    private Writer writer(Verdict verdict) {
        String dataset = verdict.dataset();
        if (verdict instanceof Verdict.Accept accept) {
            int version = accept.schema().version();
            return new Writer(verdict.writer(), false, dataKey(dataset, version),
                    new Lineage(identity, dataset, accept.schema().schemaId(), version, run.pipelineVersion(),
                            run.runId(), run.marks()));
        }
        return new Writer(verdict.writer(), true, quarantineKey(dataset),
                new Lineage(identity, dataset, "quarantine", Verdict.NO_VERSION, run.pipelineVersion(), run.runId(),
                        run.marks()));
    }

    /** A data part's key from the date of its first record and its first position. */
    private BiFunction<LocalDate, Position, String> dataKey(String dataset, int version) {
        return (date, first) -> RawZoneLayout.data(SOURCE, dataset, version, date,
                KinesisPartNames.name(streamArn, shardId, first));
    }

    private BiFunction<LocalDate, Position, String> quarantineKey(String dataset) {
        return (date, first) -> RawZoneLayout.quarantine(SOURCE, dataset, date,
                KinesisPartNames.name(streamArn, shardId, first));
    }

    private byte[] line(Verdict verdict, UserRecord user) {
        if (verdict instanceof Verdict.Accept accept) {
            return accept.text();
        }
        Verdict.Reject reject = (Verdict.Reject) verdict;
        ObjectNode entry = mapper.createObjectNode();
        entry.put("source", identity.uri());
        entry.put("dataset", reject.dataset());
        entry.put("stream", stream);
        entry.put("shard", shardId);
        entry.put("sequence", user.source().sequenceNumber());
        entry.put("sub_sequence", user.subSequence());
        entry.put("partition_key", user.partitionKey());
        entry.put("approximate_arrival", user.source().arrival().toString());
        entry.put("reason", reject.reason());
        if (reject.schemaVersion() == Verdict.NO_VERSION) {
            entry.putNull("schema_version");
        } else {
            entry.put("schema_version", reject.schemaVersion());
        }
        if (reject.recordText() != null) {
            entry.putRawValue("record", new RawValue(new String(reject.recordText(), StandardCharsets.UTF_8)));
        } else {
            utf8(user.data()).ifPresentOrElse(text -> entry.put("raw", text),
                    () -> entry.put("raw_base64", Base64.getEncoder().encodeToString(user.data())));
        }
        return serialise(entry);
    }

    private String describe(int index) {
        UserRecord user = users.get(index);
        return "sequence " + user.source().sequenceNumber() + " sub " + user.subSequence();
    }

    private byte[] serialise(ObjectNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static Optional<String> utf8(byte[] data) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * The records bound for one part writer, in position order, and what became of them. The part writer reports
     * outcomes front to back (published or duplicate, a count at a time), so the records it has settled are always
     * a prefix of the list, even when a put fails part-way.
     */
    private final class Writer {
        final String name;
        final boolean quarantine;
        /** A part's key from the date of its first record and its first position. */
        final BiFunction<LocalDate, Position, String> keyAt;
        final Lineage lineage;
        final List<Integer> indexes = new ArrayList<>();
        final List<byte[]> lines = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        WrittenVolume written = WrittenVolume.NONE;
        int settled;
        Position reach;

        Writer(String name, boolean quarantine, BiFunction<LocalDate, Position, String> keyAt, Lineage lineage) {
            this.name = name;
            this.quarantine = quarantine;
            this.keyAt = keyAt;
            this.lineage = lineage;
        }

        void add(int index, byte[] line) {
            datasets[index] = lineage.dataset();
            indexes.add(index);
            lines.add(line);
        }

        /** The batch index of its first record, or -1 once it has none left to publish. */
        int firstIndex() {
            return indexes.isEmpty() ? -1 : indexes.get(0);
        }

        /** A durable part of this writer reaches {@code last}: its records up to there are duplicates. */
        void durableThrough(Position last) {
            int held = 0;
            while (held < indexes.size() && users.get(indexes.get(held)).position().compareTo(last) <= 0) {
                outcomes[indexes.get(held++)] = RecordOutcome.DUPLICATE;
            }
            indexes.subList(0, held).clear();
            lines.subList(0, held).clear();
            reach = max(reach, last);
        }

        void publish() {
            if (indexes.isEmpty()) {
                return;
            }
            PartWriter.Outcomes settling = new PartWriter.Outcomes() {
                @Override
                public void published(int records) {
                    settle(records, quarantine ? RecordOutcome.QUARANTINED : RecordOutcome.WRITTEN);
                }

                @Override
                public void duplicates(int records) {
                    settle(records, RecordOutcome.DUPLICATE);
                }
            };
            PartWriter writer = new PartWriter(sink, first -> keyAt.apply(dates.get(first), first), policy, lineage,
                    settling);
            for (int j = 0; j < indexes.size(); j++) {
                writer.add(users.get(indexes.get(j)).position(), lines.get(j));
            }
            List<PublishedPart> parts = writer.finish();
            written = written.plus(WrittenVolume.of(parts));
            for (PublishedPart part : parts) {
                keys.add(part.key());
                reach = max(reach, part.last()); // an earlier attempt's part may reach past this batch
            }
        }

        /** The last position a durable part of this writer reaches, if any part settled. */
        Optional<Position> durableLast() {
            return Optional.ofNullable(reach);
        }

        private void settle(int records, RecordOutcome outcome) {
            for (int k = 0; k < records; k++) {
                int index = indexes.get(settled++);
                outcomes[index] = outcome;
                reach = max(reach, users.get(index).position());
            }
        }

        private Position max(Position a, Position b) {
            return a == null || b.compareTo(a) > 0 ? b : a;
        }
    }
}
