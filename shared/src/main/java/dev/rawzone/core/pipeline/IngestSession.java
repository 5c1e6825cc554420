package dev.rawzone.core.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.rawzone.core.accounting.Tally;
import dev.rawzone.core.identity.RawZoneLayout;
import dev.rawzone.core.validate.DatasetSchema;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.Validation;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.Lineage;
import dev.rawzone.core.write.PartPublisher;
import dev.rawzone.core.write.PartWriter;
import dev.rawzone.core.write.Position;
import dev.rawzone.core.write.PublishedPart;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * One source unit (an object, a shard's run of records, a page) through validation into the raw zone: valid
 * records to a part writer per schema version, rejects with their reasons to quarantine, every record counted.
 */
public final class IngestSession {
    private static final int MAX_RAW_CHARS = 64 * 1024;

    private final SessionSpec spec;
    private final RecordValidator validator;
    private final ConditionalSink sink;
    private final ObjectMapper mapper;
    private final int currentVersion;
    private final Tally tally = new Tally();
    private final Map<Integer, PartWriter> dataWriters = new TreeMap<>();
    private final PartPublisher publisher;
    private final PartWriter quarantine;

    public IngestSession(SessionSpec spec, RecordValidator validator, int currentVersion, ConditionalSink sink,
                         ObjectMapper mapper) {
        this(spec, validator, currentVersion, sink, mapper, PartPublisher.inCallerThread());
    }

    /** With {@code publisher}, where the session's parts are gzipped and written (see {@link PartWriter}). */
    public IngestSession(SessionSpec spec, RecordValidator validator, int currentVersion, ConditionalSink sink,
                         ObjectMapper mapper, PartPublisher publisher) {
        this.spec = spec;
        this.publisher = publisher;
        this.validator = validator;
        this.currentVersion = currentVersion;
        this.sink = sink;
        this.mapper = mapper;
        Lineage lineage = new Lineage(spec.identity(), spec.dataset(), "quarantine", currentVersion,
                spec.run().pipelineVersion(), spec.run().runId(), spec.run().marks());
        this.quarantine = new PartWriter(sink,
                first -> RawZoneLayout.quarantine(spec.identity().source(), spec.dataset(), spec.dateOf().apply(first),
                        spec.partName().apply(first)),
                spec.policy(), lineage, outcomes(tally::quarantined, tally::foundQuarantined), publisher);
    }

    /**
     * A JSON record: validated from its tree, stored as {@code text}, its own bytes as the source sent them. A
     * record that fails its schema is quarantined with {@code text} as the entry's {@code record}, verbatim too.
     *
     * @return whether the record is valid (it goes to a data part, or is there already)
     */
    public boolean accept(Position position, ObjectNode record, byte[] text) {
        tally.in(1);
        Validation validation = validator.validate(spec.dataset(), record, currentVersion);
        if (validation instanceof Validation.Valid valid) {
            dataWriter(valid.schema()).add(position, text);
            return true;
        }
        Validation.Invalid invalid = (Validation.Invalid) validation;
        ObjectNode entry = entry(position, invalid.reason());
        entry.put("schema_version", invalid.version());
        entry.putRawValue("record", new RawValue(new String(text, StandardCharsets.UTF_8)));
        quarantine.add(position, serialise(entry));
        return false;
    }

    /** A record the pipeline built, with no JSON text of its own (a CSV row typed by its schema): stored serialised. */
    public void acceptTree(Position position, ObjectNode record) {
        accept(position, record, serialise(record));
    }

    /** A record that could not even be read (bad JSON, bad encoding, wrong CSV field count). */
    public void reject(Position position, String reason, String raw) {
        tally.in(1);
        ObjectNode entry = entry(position, reason);
        entry.putNull("schema_version");
        entry.put("raw", raw.length() > MAX_RAW_CHARS ? raw.substring(0, MAX_RAW_CHARS) : raw);
        quarantine.add(position, serialise(entry));
    }

    /**
     * Ends every buffered part here, so that no part reaches past the records accepted so far: the end of a
     * segment, after which the unit may be continued by another invocation. The parts are published by the time
     * {@link #finish()} returns; the reader goes on meanwhile.
     */
    public void endSegment() {
        dataWriters.values().forEach(PartWriter::endPart);
        quarantine.endPart();
    }

    /**
     * Whether a part an earlier attempt wrote reaches past {@code position}: the unit must not stop there, since a
     * continuation would start a new part inside it and write its records again.
     */
    public boolean coversPast(Position position) {
        boolean covered = quarantine.coversPast(position);
        for (PartWriter writer : dataWriters.values()) {
            covered |= writer.coversPast(position);
        }
        return covered;
    }

    public SessionResult finish() {
        List<PublishedPart> data = new ArrayList<>();
        for (PartWriter writer : dataWriters.values()) {
            data.addAll(writer.finish());
        }
        List<PublishedPart> rejects = quarantine.finish();
        return new SessionResult(tally.counts(), tally.asStored(), data, rejects);
    }

    /**
     * After a failure: waits for the parts still in flight and counts what they did (their own failures are
     * dropped, the one being handled is reported), then counts every record not settled as failed for retry.
     */
    public void failUnsettled() {
        for (PartWriter writer : writers()) {
            try {
                writer.settle();
            } catch (RuntimeException alsoFailed) {
                // its records stay unsettled, so they are counted failed below
            }
        }
        tally.failed(tally.unsettled());
    }

    private List<PartWriter> writers() {
        List<PartWriter> writers = new ArrayList<>(dataWriters.values());
        writers.add(quarantine);
        return writers;
    }

    public Tally tally() {
        return tally;
    }

    private PartWriter dataWriter(DatasetSchema schema) {
        return dataWriters.computeIfAbsent(schema.version(), version -> new PartWriter(sink,
                first -> RawZoneLayout.data(spec.identity().source(), spec.dataset(), version, spec.dateOf().apply(first),
                        spec.partName().apply(first)),
                spec.policy(),
                new Lineage(spec.identity(), spec.dataset(), schema.schemaId(), version,
                        spec.run().pipelineVersion(), spec.run().runId(), spec.run().marks()),
                outcomes(tally::written, tally::foundWritten), publisher));
    }

    private ObjectNode entry(Position position, String reason) {
        ObjectNode entry = mapper.createObjectNode();
        entry.put("source", spec.identity().uri());
        entry.put("dataset", spec.dataset());
        if (position.minor() == 0 && position.major().bitLength() < 63) {
            entry.put(spec.positionName(), position.major().longValue());
        } else {
            entry.put(spec.positionName(), position.toString());
        }
        entry.put("reason", reason);
        return entry;
    }

    private byte[] serialise(ObjectNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private PartWriter.Outcomes outcomes(LongConsumer settled, LongConsumer found) {
        return new PartWriter.Outcomes() {
            @Override
            public void published(int records) {
                settled.accept(records);
            }

            @Override
            public void duplicates(int records) {
                found.accept(records);
            }
        };
    }
}
