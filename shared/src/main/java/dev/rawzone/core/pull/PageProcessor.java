package dev.rawzone.core.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.accounting.Tally;
import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.identity.SourceIdentity;
import dev.rawzone.core.observe.WrittenVolume;
import dev.rawzone.core.pipeline.IngestSession;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.pipeline.SessionResult;
import dev.rawzone.core.pipeline.SessionSpec;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.Position;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One staged page through validation into the raw zone, as one ingest session: every record placed in the
 * source's order, re-read versions already in the seen set (and repeats within the page) skipped as duplicates,
 * the rest written in parts named from the source and the part's first position only, rejects quarantined with
 * their reasons. The result is a function of the page and the checkpoint it was fetched at.
 */
final class PageProcessor {
    private static final int MAX_NAME = 80;

    private final PullSource source;
    private final PositionScheme scheme;
    private final RecordValidator validator;
    private final ConditionalSink raw;
    private final PartPolicy policy;
    private final ObjectMapper mapper;

    PageProcessor(PullSource source, PositionScheme scheme, RecordValidator validator, ConditionalSink raw,
                  PartPolicy policy, ObjectMapper mapper) {
        this.source = source;
        this.scheme = scheme;
        this.validator = validator;
        this.raw = raw;
        this.policy = policy;
        this.mapper = mapper;
    }

    record Result(Counts counts, PullState.PageOutcome outcome, int dataParts, int quarantineParts,
                  WrittenVolume written) {
    }

    /** Processing stopped part-way (a write failed): what was settled, and the rest counted as failed. */
    static final class PageWriteException extends RuntimeException {
        private final Counts counts;

        PageWriteException(Counts counts, RuntimeException cause) {
            super(cause.toString(), cause);
            this.counts = counts;
        }

        Counts counts() {
            return counts;
        }
    }

    /** Where a record of the page goes: the page's parts, or an entry of its own (see {@link UnplacedQuarantine}). */
    private enum Entry {
        PAGE, UNPLACED
    }

    /**
     * A record of the page in its place: to validate ({@code record} set) or to quarantine for {@code rejectReason},
     * in the page's part or, if it has no place in the source's order, in an entry of its own.
     */
    private record Item(Position position, ObjectNode record, byte[] text, String rejectReason, LocalDate date,
                        Entry entry) {
        boolean placed() {
            return record != null;
        }

        String raw() {
            return new String(text, StandardCharsets.UTF_8);
        }
    }

    Result process(StagedPage page, PullState state, RunContext run) {
        List<Item> items = items(page, state);
        Tally skipped = new Tally();
        Map<Position, LocalDate> dates = new HashMap<>();
        items.forEach(item -> dates.put(item.position(), item.date()));
        SourceIdentity identity = source.identity();
        SessionSpec spec = new SessionSpec(identity, page.dataset(), dates::get, "position",
                first -> partName(identity.stem(), first), policy, run);
        IngestSession session = new IngestSession(spec, validator, page.schemaVersion(), raw, mapper);
        UnplacedQuarantine unplaced = new UnplacedQuarantine(source, page, validator, raw, policy, mapper, run);
        List<Position> settled = new ArrayList<>();
        BigInteger highest = null;
        Position previous = null;
        try {
            for (Item item : items) {
                if (item.entry() != Entry.PAGE) {
                    unplaced.add(item.position(), item.rejectReason(), item.text(), item.date());
                    continue;
                }
                boolean repeated = item.position().equals(previous);
                previous = item.position();
                if (repeated || state.seen().contains(item.position()) || state.settledFromToken(item.position())) {
                    skipped.in(1);
                    skipped.duplicates(1);
                    continue;
                }
                if (item.placed()) {
                    // only what goes to raw/ moves the watermark: a refused record's cursor value may be anything
                    if (session.accept(item.position(), item.record(), item.text())) {
                        highest = highest == null ? item.position().major() : highest.max(item.position().major());
                    }
                    settled.add(item.position());
                } else {
                    session.reject(item.position(), item.rejectReason(), item.raw());
                }
            }
            SessionResult result = session.finish();
            unplaced.finish();
            WrittenVolume written = WrittenVolume.of(result.dataParts())
                    .plus(WrittenVolume.of(result.quarantineParts())).plus(unplaced.written());
            Optional<String> nextToken = scheme.kind() == CursorKind.PAGE_TOKEN
                    ? text(page.body().tree().get(source.cursor().field())) : Optional.empty();
            Optional<BigInteger> watermark = Optional.ofNullable(highest)
                    .map(value -> scheme.noLaterThan(value, page.fetchedAt()));
            return new Result(result.counts().plus(skipped.counts()).plus(unplaced.tally().counts()),
                    new PullState.PageOutcome(settled, watermark, nextToken, items.size()),
                    result.dataParts().size(), result.quarantineParts().size() + unplaced.parts(),
                    written);
        } catch (RuntimeException e) {
            session.tally().failed(session.tally().unsettled());
            unplaced.tally().failed(unplaced.tally().unsettled());
            throw new PageWriteException(session.tally().counts().plus(skipped.counts())
                    .plus(unplaced.tally().counts()), e);
        }
    }

    private List<Item> items(StagedPage page, PullState state) {
        List<PageBody.Element> records = page.body().records();
        LocalDate fetched = page.fetchedAt().atZone(ZoneOffset.UTC).toLocalDate();
        List<Item> items = new ArrayList<>(records.size());
        long seq = page.seq();
        long first = 0;
        if (scheme.kind() == CursorKind.PAGE_TOKEN) { // a token fetched again places its records where it did before
            seq = state.tokenAnchor().seq();
            first = state.tokenAnchor().start();
        }
        for (int i = 0; i < records.size(); i++) {
            PageBody.Element element = records.get(i);
            byte[] text = element.text();
            if (!(element.tree() instanceof ObjectNode record)) {
                String reason = element.problem() != null ? "invalid JSON: " + element.problem() : "not a JSON object";
                items.add(unplaced(text, seq, first + i, reason, fetched));
                continue;
            }
            LocalDate date = source.dateField().flatMap(field -> scheme.timestamp(record.get(field)))
                    .map(instant -> instant.atZone(ZoneOffset.UTC).toLocalDate()).orElse(fetched);
            PositionScheme.Placement placement = scheme.place(record, seq, first + i);
            if (placement instanceof PositionScheme.Placed placed) {
                if (scheme.belowBound(placed.position(), state.seen())) {
                    items.add(new Item(placed.position(), null, text, "the record is below the checkpoint's lower bound "
                            + scheme.boundText(state.seen().from().major()) + " (its " + source.cursor().field()
                            + " is " + scheme.valueText(placed.position().major()) + ") though not below the bound "
                            + "sent, which is rounded to cursor.precision (or precision, inclusive or format changed "
                            + "since the checkpoint was written): it may be a re-read of a version already written, so "
                            + "it is quarantined for review rather than written again", date, Entry.PAGE));
                } else {
                    items.add(new Item(placed.position(), record, text, null, date, Entry.PAGE));
                }
            } else if (placement instanceof PositionScheme.Unplaceable unplaceable) {
                items.add(unplaced(text, seq, first + i, unplaceable.reason(), date));
            }
        }
        items.sort(Comparator.comparing(Item::position));
        return items;
    }

    /** A page-token page fixes every record's place, even one that is not a JSON object: it stays in the page's part. */
    private Item unplaced(byte[] text, long seq, long index, String reason, LocalDate date) {
        return new Item(scheme.unplaced(new String(text, StandardCharsets.UTF_8), seq, index), null, text, reason, date,
                scheme.kind() != CursorKind.PAGE_TOKEN ? Entry.UNPLACED : Entry.PAGE);
    }

    /** {@code <source>-<first position>.jsonl.gz}; a fingerprint of the position if that would be too long a key. */
    static String partName(String stem, Position first) {
        String name = stem + "-" + first + ".jsonl.gz";
        return name.length() <= MAX_NAME ? name : stem + "-" + KeyParts.fingerprint(first.toString()) + ".jsonl.gz";
    }

    private static Optional<String> text(JsonNode value) {
        return value != null && value.isTextual() && !value.textValue().isEmpty()
                ? Optional.of(value.textValue()) : Optional.empty();
    }
}
