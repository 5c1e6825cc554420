package dev.rawzone.core.pull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Tally;
import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.observe.WrittenVolume;
import dev.rawzone.core.pipeline.IngestSession;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.pipeline.SessionResult;
import dev.rawzone.core.pipeline.SessionSpec;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.Position;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The records of a page that have no place in the source's order (no usable cursor value or id, or not a JSON
 * object), so no seen set can recognise them when a lookback re-reads them. Each is identified by the SHA-256 of
 * its bytes (identical content served twice is the same record) and quarantined in an entry of its own,
 * {@code <source>-unplaced-<hash>.jsonl.gz}, never in the page's part of positioned rejects. A marker
 * {@code manifests/pull/unplaced/<source>/<hash>.json}, written once the entry exists, makes every later re-read a
 * duplicate, on another day or after the source moved to another dataset too; a re-run of the same page after a
 * crash finds its entry taken ({@code 412}) and counts it as a duplicate.
 */
final class UnplacedQuarantine {
    private record Pending(Position position, String reason, String raw, LocalDate date) {
    }

    private final PullSource source;
    private final StagedPage page;
    private final RecordValidator validator;
    private final ConditionalSink raw;
    private final PartPolicy policy;
    private final ObjectMapper mapper;
    private final RunContext run;
    private final Tally tally = new Tally();
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private int parts;
    private WrittenVolume written = WrittenVolume.NONE;

    UnplacedQuarantine(PullSource source, StagedPage page, RecordValidator validator, ConditionalSink raw,
                       PartPolicy policy, ObjectMapper mapper, RunContext run) {
        this.source = source;
        this.page = page;
        this.validator = validator;
        this.raw = raw;
        this.policy = policy;
        this.mapper = mapper;
        this.run = run;
    }

    void add(Position position, String reason, byte[] text, LocalDate date) {
        tally.in(1);
        String hash = KeyParts.sha256Hex(text).substring(0, 32);
        if (pending.containsKey(hash)) {
            tally.duplicates(1);
            return;
        }
        pending.put(hash, new Pending(position, reason, new String(text, StandardCharsets.UTF_8), date));
    }

    /** Quarantines each record not quarantined before; call before the checkpoint moves past the page. */
    void finish() {
        for (Map.Entry<String, Pending> entry : pending.entrySet()) {
            String marker = markerKey(entry.getKey());
            if (raw.metadata(marker).isPresent()) {
                tally.duplicates(1);
                continue;
            }
            Pending record = entry.getValue();
            String name = source.identity().stem() + "-unplaced-" + entry.getKey() + ".jsonl.gz";
            SessionSpec spec = new SessionSpec(source.identity(), page.dataset(), first -> record.date(), "position",
                    first -> name, policy, run);
            IngestSession session = new IngestSession(spec, validator, page.schemaVersion(), raw, mapper);
            session.reject(record.position(), record.reason(), record.raw());
            SessionResult result = session.finish();
            tally.quarantined(result.counts().quarantined());
            tally.duplicates(result.counts().duplicates());
            parts += result.quarantineParts().size();
            written = written.plus(WrittenVolume.of(result.quarantineParts()));
            ObjectNode where = mapper.createObjectNode().put("quarantined_as", result.quarantineParts().get(0).key());
            raw.putIfAbsent(marker, where.toString().getBytes(StandardCharsets.UTF_8),
                    Map.of("source", PullSource.SOURCE_KIND, "source-identity", source.identity().uri()));
        }
        pending.clear();
    }

    Tally tally() {
        return tally;
    }

    int parts() {
        return parts;
    }

    WrittenVolume written() {
        return written;
    }

    private String markerKey(String hash) {
        return "manifests/" + PullSource.SOURCE_KIND + "/unplaced/" + source.identity().stem() + "/" + hash + ".json";
    }
}
