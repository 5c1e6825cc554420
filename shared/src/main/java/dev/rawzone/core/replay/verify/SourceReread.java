package dev.rawzone.core.replay.verify;

import dev.rawzone.core.replay.PartLines;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.read.ReaderLimits;
import dev.rawzone.core.route.Routing;
import dev.rawzone.core.s3.ObjectNotice;
import dev.rawzone.core.s3.ObjectOutcome;
import dev.rawzone.core.s3.ObjectReport;
import dev.rawzone.core.s3.S3ObjectIngester;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.InMemorySink;
import dev.rawzone.core.write.PartPolicy;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Re-reads the landing object version a manifest names through the real {@link S3ObjectIngester}, into memory
 * (see {@link DecisionReadingSink}), and compares what it would write with what is stored, record by record.
 */
final class SourceReread {
    private final S3Client s3;
    private final ConditionalSink raw;
    private final String rawBucket;
    private final Routing routing;
    private final SchemaCatalogue catalogue;
    private final PartPolicy policy;
    private final ReaderLimits limits;
    private final ObjectMapper mapper;

    SourceReread(S3Client s3, ConditionalSink raw, String rawBucket, Routing routing, SchemaCatalogue catalogue,
                 PartPolicy policy, ReaderLimits limits, ObjectMapper mapper) {
        this.s3 = s3;
        this.raw = raw;
        this.rawBucket = rawBucket;
        this.routing = routing;
        this.catalogue = catalogue;
        this.policy = policy;
        this.limits = limits;
        this.mapper = mapper;
    }

    /** @param stored each stored part listed in the manifest that could be read, as checked */
    void compare(ObjectManifest manifest, Map<String, StoredParts.Checked> stored, RunContext run, Findings findings) {
        if (manifest.versionId().isEmpty()) {
            findings.note("source in an unversioned bucket; stored checks only");
            return;
        }
        DecisionReadingSink sink = new DecisionReadingSink(raw);
        ObjectNotice notice = new ObjectNotice(manifest.bucket(), manifest.key(), manifest.versionId(),
                manifest.eTag(), 0, Optional.empty());
        ObjectReport report = new S3ObjectIngester(s3, sink, rawBucket, routing, catalogue, policy, limits, mapper)
                .ingest(notice, run);
        String source = "s3://" + manifest.bucket() + "/" + manifest.key() + "?versionId=" + manifest.versionId().get();
        if (report.outcome() == ObjectOutcome.MISSING) {
            findings.note("source gone; stored checks only");
            return;
        }
        findings.read(source, 0);
        if (report.counts().in() != manifest.counts().in()) {
            findings.differs("a re-read of " + source + " reads " + report.counts().in() + " records, the manifest "
                    + "says " + manifest.counts().in());
        }
        if (report.unreadable().isPresent() != manifest.unreadable()) {
            findings.differs("a re-read of " + source + (manifest.unreadable() ? " reads it all" : " cannot read all of it")
                    + ", the manifest says " + (manifest.unreadable() ? "it could not" : "it could"));
        }
        compareParts(partsOf(manifest), partsOf(report), stored, sink.written(), findings);
    }

    private void compareParts(List<String> listed, List<String> reread, Map<String, StoredParts.Checked> stored,
                              Map<String, InMemorySink.Stored> written, Findings findings) {
        Set<String> keys = new LinkedHashSet<>(listed);
        keys.addAll(reread);
        for (String key : keys) {
            if (!reread.contains(key)) {
                findings.differs("part " + key + " would not be written by a re-read of the source");
            } else if (!listed.contains(key)) {
                findings.differs("a re-read of the source writes part " + key + ", which the manifest does not list");
            } else if (stored.containsKey(key)) {
                compareContent(key, stored.get(key), written.get(key).body(), findings);
            }
        }
    }

    /**
     * Equal records make equal gzip bytes (the part writer's gzip has no timestamp), so only a part whose bytes
     * differ is read again, to say which line.
     */
    private void compareContent(String key, StoredParts.Checked stored, byte[] reread, Findings findings) {
        if (stored.sha256().equals(KeyParts.sha256Hex(reread))) {
            return;
        }
        Optional<List<byte[]>> storedLines = raw.read(key).flatMap(PartLines::read);
        if (storedLines.isEmpty()) {
            findings.differs(key + " is no longer readable");
            return;
        }
        compareLines(key, storedLines.get(), PartLines.read(reread).orElseThrow(), findings);
    }

    private static void compareLines(String key, List<byte[]> stored, List<byte[]> reread, Findings findings) {
        for (int i = 0; i < Math.min(stored.size(), reread.size()); i++) {
            if (!Arrays.equals(stored.get(i), reread.get(i))) {
                findings.differs("line " + (i + 1) + " of " + key + " differs from a re-read of the source");
                return;
            }
        }
        if (stored.size() != reread.size()) {
            findings.differs(key + " holds " + stored.size() + " records, a re-read of the source gives "
                    + reread.size());
        }
    }

    private static List<String> partsOf(ObjectManifest manifest) {
        return withoutObjectCopies(manifest.dataParts(), manifest.quarantineParts());
    }

    private static List<String> partsOf(ObjectReport report) {
        return withoutObjectCopies(report.dataKeys(), report.quarantineKeys());
    }

    /** The whole-object copy is not re-made (see {@link DecisionReadingSink}); its presence is checked as stored. */
    private static List<String> withoutObjectCopies(List<String> data, List<String> quarantine) {
        List<String> parts = new ArrayList<>(data);
        quarantine.stream().filter(key -> !StoredParts.isObjectCopy(key)).forEach(parts::add);
        return parts;
    }
}
