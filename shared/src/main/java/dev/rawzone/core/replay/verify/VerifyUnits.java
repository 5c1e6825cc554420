package dev.rawzone.core.replay.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.read.ReaderLimits;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.ReplaySelection;
import dev.rawzone.core.replay.ReplayUnits;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.core.route.Routing;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.PartPolicy;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The verify mode, read only: one unit per S3 object manifest (the object: its counts, its parts, and a re-read of
 * its source while that version is there), one per part no manifest names (Kinesis, pull, rebuilt and released
 * parts: checked against their lineage) and one per Kinesis shard (its parts compared with a re-read of the stream
 * while it retains them, {@link StreamReread}; a pull source's API cannot be re-read); then no source position twice
 * across all of them.
 *
 * <p>The re-read goes through the real {@code S3ObjectIngester} with the same {@link PartPolicy} as ingestion, so
 * that it cuts parts at the same records; a different policy shows as parts that would not be written.
 */
public final class VerifyUnits implements ReplayUnits {
    public static final String MANIFEST = "manifest";
    public static final String PART = "part";
    /** About one part of the default policy's: what one read of a stream holds in memory, stored and re-read. */
    private static final long STREAM_RECORDS_PER_READ = 100_000;
    private static final Pattern OBJECT_MANIFEST =
            Pattern.compile("manifests/s3/[^/]+/dt=\\d{4}-\\d{2}-\\d{2}/[^/]+\\.json");

    private final ConditionalSink raw;
    private final StoredParts parts;
    private final ManifestCheck manifests;
    private final ObjectMapper mapper;
    private final StreamReread streams;

    public VerifyUnits(S3Client s3, KinesisClient kinesis, ConditionalSink raw, String rawBucket, Routing routing,
                       SchemaCatalogue catalogue, PartPolicy policy, ReaderLimits limits, ObjectMapper mapper) {
        this.raw = raw;
        this.mapper = mapper;
        this.parts = new StoredParts(raw, mapper);
        this.streams = new StreamReread(raw, mapper, kinesis, STREAM_RECORDS_PER_READ);
        this.manifests = new ManifestCheck(raw, mapper, parts,
                new SourceReread(s3, raw, rawBucket, routing, catalogue, policy, limits, mapper));
    }

    /** Reads the listings and the selected manifests (to leave out the parts they name). */
    @Override
    public List<ReplayItem> plan(ReplaySelection selection) {
        List<String> manifestKeys = selection.manifest().map(List::of).orElseGet(() ->
                raw.keys(selection.prefix("manifests")).stream()
                        .filter(key -> OBJECT_MANIFEST.matcher(key).matches() && selection.includes(key)).toList());
        List<ReplayItem> items = new ArrayList<>();
        manifestKeys.forEach(key -> items.add(new ReplayItem(MANIFEST, key)));
        if (selection.manifest().isPresent()) {
            return items;
        }
        Set<String> named = new HashSet<>();
        manifestKeys.forEach(key -> manifest(key).ifPresent(m -> {
            named.addAll(m.dataParts());
            named.addAll(m.quarantineParts());
        }));
        List<String> partKeys = new ArrayList<>();
        for (String top : List.of("raw", "quarantine")) {
            raw.keys(selection.prefix(top)).stream()
                    .filter(key -> selection.includes(key) && !named.contains(key) && !StoredParts.isReleaseMarker(key))
                    .forEach(partKeys::add);
        }
        partKeys.forEach(key -> items.add(new ReplayItem(PART, key)));
        items.addAll(StreamReread.plan(partKeys, selection.dataset().isEmpty() && selection.from().isEmpty()
                && selection.to().isEmpty() && selection.keys().isEmpty()));
        return items;
    }

    @Override
    public UnitResult run(ReplayItem item, ReplayRun run) {
        if (item.kind().equals(StreamReread.KIND)) {
            return run.dryRun() ? UnitResult.of(item, UnitStatus.PLANNED, streams.planned(item)) : streams.run(item);
        }
        boolean manifest = item.kind().equals(MANIFEST);
        if (!manifest && !item.kind().equals(PART)) {
            throw new IllegalArgumentException("verify has no unit of kind '" + item.kind() + "'");
        }
        if (run.dryRun()) {
            return UnitResult.of(item, UnitStatus.PLANNED, manifest
                    ? "would read manifest " + item.key() + ", every part it lists and the source version it names"
                    : "would read part " + item.key() + " and its lineage");
        }
        Findings findings = new Findings();
        if (manifest) {
            manifests.check(item.key(), run.context(), findings);
            return findings.result(item, "manifest, its parts and their lineage agree");
        }
        if (StoredParts.isObjectCopy(item.key())) {
            if (raw.metadata(item.key()).isEmpty()) {
                findings.missing("whole-object copy " + item.key() + " is missing");
            }
            findings.read(item.key(), 0);
            return findings.result(item, "whole-object copy is there (no manifest names it)");
        }
        parts.check(item.key(), findings);
        if (item.key().startsWith("raw/pull/") || item.key().startsWith("quarantine/pull/")) {
            findings.note("a pull source's API cannot be re-read; stored checks only");
        }
        return findings.result(item, "part agrees with its lineage");
    }

    @Override
    public List<UnitResult> conclude(List<UnitResult> results) {
        return PositionClaims.check(results);
    }

    /** An unreadable manifest names nothing here: its unit reports it, and its parts are checked on their own. */
    private Optional<ObjectManifest> manifest(String key) {
        return raw.read(key).flatMap(body -> {
            try {
                return Optional.of(ObjectManifest.fromJson(mapper.readTree(body)));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }
}
