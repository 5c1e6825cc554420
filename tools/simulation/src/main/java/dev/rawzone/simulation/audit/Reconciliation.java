package dev.rawzone.simulation.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The raw zone held against its source: every record that must land is stored exactly once (in a data part, a
 * quarantine entry, or the covered lines of a whole object kept in quarantine), none is stored twice, a data
 * part holds each record's own bytes, and nothing is stored that the source never sent.
 */
public final class Reconciliation {
    private final List<String> lost = new ArrayList<>();
    private final List<String> duplicated = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private long written;
    private long quarantined;

    public static Reconciliation of(SourceRecords source, RawZoneAudit audit) {
        Reconciliation result = of(source, audit.records());
        result.violations.addAll(0, audit.problems());
        return result;
    }

    /** The same, over some of the stored records only (one generation of a dataset, say). */
    public static Reconciliation of(SourceRecords source, List<StoredRecord> records) {
        Reconciliation result = new Reconciliation();
        Map<String, List<StoredRecord>> found = new LinkedHashMap<>();
        for (StoredRecord record : records) {
            String text = new String(record.line(), StandardCharsets.UTF_8);
            Optional<String> id = source.identify(text);
            if (id.isEmpty() && record.place().equals(StoredRecord.WHOLE)) {
                continue; // a CSV header, or a line cut short by the damage that condemned the object
            }
            if (id.isEmpty() || !source.all().containsKey(id.get())) {
                result.violations.add("stored record the source never sent, in " + record.where() + ": " + clip(text));
                continue;
            }
            found.computeIfAbsent(id.get(), key -> new ArrayList<>()).add(record);
            if (record.place().equals(StoredRecord.RAW)) {
                result.written++;
                source.all().get(id.get()).bytes().filter(bytes -> !Arrays.equals(bytes, record.line()))
                        .ifPresent(bytes -> result.violations.add("altered: " + id.get() + " was sent as "
                                + clip(new String(bytes, StandardCharsets.UTF_8)) + " and stored as " + clip(text)
                                + " in " + record.where()));
            } else {
                result.quarantined++;
            }
        }
        for (SourceRecords.Sent sent : source.all().values()) {
            List<StoredRecord> places = found.getOrDefault(sent.id(), List.of());
            if (places.isEmpty() && sent.mustLand()) {
                result.lost.add(sent.id());
            } else if (places.size() > 1) {
                result.duplicated.add(sent.id() + " in " + places.stream().map(StoredRecord::where).toList());
            }
        }
        return result;
    }

    public List<String> lost() {
        return lost;
    }

    public List<String> duplicated() {
        return duplicated;
    }

    public List<String> violations() {
        return violations;
    }

    public long written() {
        return written;
    }

    public long quarantined() {
        return quarantined;
    }

    private static String clip(String text) {
        return text.length() > 160 ? text.substring(0, 160) + "..." : text;
    }
}
