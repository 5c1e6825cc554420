package dev.rawzone.simulation.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An object overwritten in an unversioned landing bucket while a chain of invocations was reading it: its old
 * content is gone, so the raw zone cannot hold all of it. Its manifest must account for every line of the old
 * content once: each record in exactly one part the manifest lists, or, if the manifest closes the object as
 * superseded, from the line of its unread rest on ({@code <stem>-<line>-rest.jsonl.gz}) in no part at all, the
 * rest counted as one unit. A part holding old records that the manifest does not list, a record before the rest
 * in no part, or manifest counts that are not its parts' are violations.
 *
 * <p>The records the rest accounts for are then no longer ones that must land ({@link SourceRecords#accountedElsewhere}),
 * so that {@link Reconciliation} does not count them lost.
 */
public final class SupersededObjectAudit {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern REST = Pattern.compile("-([0-9]{12})" + RawZoneAudit.UNREAD_REST + "$");

    private final String landingKey;
    private final String eTag;
    private final byte[] oldContent;

    /** @param oldContent the object's content as the chain read it (decompressed) */
    public SupersededObjectAudit(String landingKey, String eTag, byte[] oldContent) {
        this.landingKey = landingKey;
        this.eTag = eTag;
        this.oldContent = oldContent.clone();
    }

    /** The violations; marks the records the unread rest accounts for in {@code source}. */
    public List<String> check(S3Client s3, String bucket, RawZoneAudit zone, SourceRecords source) {
        List<String> violations = new ArrayList<>();
        Optional<JsonNode> manifest = manifest(s3, bucket);
        if (manifest.isEmpty()) {
            return List.of("superseded " + landingKey + " (ETag " + eTag + ") has no manifest");
        }
        Set<String> listed = new HashSet<>();
        manifest.get().path("data_parts").forEach(key -> listed.add(key.asText()));
        manifest.get().path("quarantine_parts").forEach(key -> listed.add(key.asText()));
        List<Long> rests = listed.stream().map(REST::matcher).filter(Matcher::find)
                .map(rest -> Long.parseLong(rest.group(1))).toList();
        if (rests.size() > 1) {
            violations.add("superseded " + landingKey + " has " + rests.size() + " unread rests: " + rests);
        }
        Optional<Long> restFrom = rests.stream().findFirst();
        Map<String, Long> oldLines = linesOfOldRecords(source);
        Map<String, List<String>> partsOf = new HashMap<>();
        Map<String, Long> recordsIn = new HashMap<>();
        for (StoredRecord record : zone.records()) {
            recordsIn.merge(record.key(), 1L, Long::sum);
            source.identify(new String(record.line(), StandardCharsets.UTF_8)).filter(oldLines::containsKey)
                    .ifPresent(id -> partsOf.computeIfAbsent(id, any -> new ArrayList<>()).add(record.key()));
        }
        oldLines.forEach((id, line) -> {
            List<String> parts = partsOf.getOrDefault(id, List.of());
            parts.stream().filter(key -> !listed.contains(key)).forEach(key -> violations.add("superseded "
                    + landingKey + ": line " + line + " (" + id + ") is in " + key + ", which its manifest does not list"));
            if (parts.isEmpty() && restFrom.isPresent() && line >= restFrom.get()) {
                source.accountedElsewhere(id);
            }
        });
        violations.addAll(countsOfParts(manifest.get(), recordsIn));
        return violations;
    }

    /** Every old record the source registered, by the line of the old content it starts on. */
    private Map<String, Long> linesOfOldRecords(SourceRecords source) {
        Map<String, Long> lines = new LinkedHashMap<>();
        List<byte[]> text = RawZoneAudit.lines(oldContent);
        for (int i = 0; i < text.size(); i++) {
            long line = i + 1;
            source.identify(new String(text.get(i), StandardCharsets.UTF_8)).filter(source.all()::containsKey)
                    .ifPresent(id -> lines.putIfAbsent(id, line));
        }
        return lines;
    }

    private List<String> countsOfParts(JsonNode manifest, Map<String, Long> recordsIn) {
        JsonNode counts = manifest.path("counts");
        long written = sum(manifest.path("data_parts"), recordsIn);
        long quarantined = sum(manifest.path("quarantine_parts"), recordsIn);
        List<String> violations = new ArrayList<>();
        if (counts.path("written").asLong() != written || counts.path("quarantined").asLong() != quarantined) {
            violations.add("superseded " + landingKey + ": its manifest counts " + counts + " but its parts hold "
                    + written + " written and " + quarantined + " quarantined");
        }
        long settled = counts.path("written").asLong() + counts.path("quarantined").asLong()
                + counts.path("duplicates").asLong() + counts.path("failed").asLong();
        if (counts.path("in").asLong() != settled) {
            violations.add("superseded " + landingKey + ": its manifest counts do not add up: " + counts);
        }
        return violations;
    }

    /** The records in the parts; an unread rest is one unit (its entry is no record, see {@link RawZoneAudit}). */
    private static long sum(JsonNode keys, Map<String, Long> recordsIn) {
        long sum = 0;
        for (JsonNode key : keys) {
            sum += RawZoneAudit.isUnreadRest(key.asText()) ? 1 : recordsIn.getOrDefault(key.asText(), 0L);
        }
        return sum;
    }

    private Optional<JsonNode> manifest(S3Client s3, String bucket) {
        for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(bucket).prefix("manifests/s3/")).contents()) {
            String key = object.key();
            if (key.contains("/progress/") || key.contains("/decisions/")) {
                continue;
            }
            JsonNode manifest = json(s3.getObjectAsBytes(g -> g.bucket(bucket).key(key)).asByteArray());
            if (landingKey.equals(manifest.path("key").asText()) && eTag.equals(manifest.path("etag").asText())) {
                return Optional.of(manifest);
            }
        }
        return Optional.empty();
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("a manifest is not JSON", e);
        }
    }
}
