package dev.rawzone.core.replay.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.write.ConditionalSink;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One S3 object manifest: its counts add up and match its parts, each listed part checks out against its lineage,
 * and, while the landing object version is there, a re-read of it gives the same records.
 */
final class ManifestCheck {
    private final ConditionalSink raw;
    private final ObjectMapper mapper;
    private final StoredParts parts;
    private final SourceReread reread;

    ManifestCheck(ConditionalSink raw, ObjectMapper mapper, StoredParts parts, SourceReread reread) {
        this.raw = raw;
        this.mapper = mapper;
        this.parts = parts;
        this.reread = reread;
    }

    void check(String manifestKey, RunContext run, Findings findings) {
        Optional<byte[]> body = raw.read(manifestKey);
        if (body.isEmpty()) {
            findings.missing("manifest " + manifestKey + " is missing");
            return;
        }
        findings.read(manifestKey, body.get().length);
        ObjectManifest manifest;
        try {
            manifest = ObjectManifest.fromJson(mapper.readTree(body.get()));
        } catch (IOException e) {
            findings.differs("manifest " + manifestKey + " is not JSON");
            return;
        }
        Counts counts = manifest.counts();
        if (!counts.addsUp()) {
            findings.differs("manifest counts do not add up: in " + counts.in() + ", written + quarantined + "
                    + "duplicates + failed " + (counts.written() + counts.quarantined() + counts.duplicates()
                    + counts.failed()));
        }
        Map<String, StoredParts.Checked> stored = new LinkedHashMap<>();
        long dataRecords = readAll(manifest.dataParts(), stored, findings);
        long quarantined = readAll(manifest.quarantineParts(), stored, findings);
        if (!findings.hasMissing()) {
            compareCounts(counts, dataRecords, quarantined, findings);
        }
        reread.compare(manifest, stored, run, findings);
    }

    /** @return the records the parts hold, a whole-object copy counting one */
    private long readAll(List<String> keys, Map<String, StoredParts.Checked> stored, Findings findings) {
        long records = 0;
        for (String key : keys) {
            if (StoredParts.isObjectCopy(key)) {
                if (raw.metadata(key).isEmpty()) {
                    findings.missing("whole-object copy " + key + " is missing");
                }
                findings.read(key, 0);
                records++;
                continue;
            }
            Optional<StoredParts.Checked> part = parts.check(key, findings);
            if (part.isPresent()) {
                stored.put(key, part.get());
                records += part.get().records();
            }
        }
        return records;
    }

    /**
     * A manifest counts a record found in a part an earlier attempt wrote as written or quarantined; manifests of
     * earlier pipeline versions counted it as a duplicate, so only without duplicates do written and quarantined
     * each match their parts; with them, the totals must.
     */
    private static void compareCounts(Counts counts, long dataRecords, long quarantined, Findings findings) {
        if (counts.duplicates() == 0) {
            if (counts.written() != dataRecords) {
                findings.differs("manifest says " + counts.written() + " written, its data parts hold " + dataRecords);
            }
            if (counts.quarantined() != quarantined) {
                findings.differs("manifest says " + counts.quarantined() + " quarantined, its quarantine parts hold "
                        + quarantined);
            }
        } else if (counts.written() + counts.quarantined() + counts.duplicates() != dataRecords + quarantined) {
            findings.differs("manifest says " + (counts.written() + counts.quarantined() + counts.duplicates())
                    + " written, quarantined or already there, its parts hold " + (dataRecords + quarantined));
        }
    }
}
