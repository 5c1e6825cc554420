package dev.rawzone.core.replay.rederive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.Lineage;
import dev.rawzone.core.write.Position;
import dev.rawzone.core.write.PutOutcome;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * Publishes what a replay derives from a stored part: gzip JSON Lines parts with lineage back to the part
 * ({@code derived-from}) and markers, both write-once. A key already taken counts as this unit's own earlier
 * output only when its lineage names the same input and its content is the same; anything else is a stranger's
 * object, never taken as ours.
 */
public final class DerivedParts {
    public static final String DERIVED_FROM = "derived-from";
    public static final String SUPERSEDES = "supersedes";
    /** S3 keeps at most 2 KB of user metadata per object, names and values together. */
    static final int MAX_METADATA_BYTES = 2048;
    private static final String SOURCE_IDENTITY = "source-identity";
    private static final String CUT = "...#sha256=";

    /** What became of one derived part. */
    public enum Published { CREATED, ALREADY_THERE, CONFLICT }

    /** A publish's outcome; {@code detail} says why for a conflict. */
    public record Outcome(Published published, String detail) {
    }

    /**
     * What a derived part says about itself, besides its content.
     *
     * @param supersedes the generation it replaces ({@code schema=v1}), when it is a new generation of its input
     */
    public record Derivation(StoredPart input, String dataset, String schemaId, int schemaVersion, Position first,
                             Position last, Optional<String> supersedes) {
    }

    private final ConditionalSink raw;
    private final ObjectMapper mapper;

    public DerivedParts(ConditionalSink raw, ObjectMapper mapper) {
        this.raw = raw;
        this.mapper = mapper;
    }

    public Outcome publish(String key, List<byte[]> lines, Derivation derivation, ReplayRun run) {
        byte[] body = gzip(lines);
        String sha256 = KeyParts.sha256Hex(body);
        RunContext context = run.context();
        Map<String, String> metadata = new LinkedHashMap<>(new Lineage(derivation.input().identity(),
                derivation.dataset(), derivation.schemaId(), derivation.schemaVersion(), context.pipelineVersion(),
                context.runId(), context.marks()).metadata(derivation.first(), derivation.last(), lines.size(), sha256));
        String inputKey = derivation.input().key().key();
        metadata.put(DERIVED_FROM, inputKey);
        derivation.supersedes().ifPresent(generation -> metadata.put(SUPERSEDES, generation));
        if (raw.putIfAbsent(key, body, fitted(metadata)) == PutOutcome.CREATED) {
            return new Outcome(Published.CREATED, "");
        }
        Map<String, String> existing = raw.metadata(key).orElse(Map.of());
        if (!inputKey.equals(existing.get(DERIVED_FROM))) {
            return new Outcome(Published.CONFLICT, key + " is taken by an object not derived from " + inputKey
                    + " (derived-from: " + existing.getOrDefault(DERIVED_FROM, "none") + "); left as it is");
        }
        if (!sha256.equals(existing.get(Lineage.CONTENT_SHA256))) {
            return new Outcome(Published.CONFLICT, key + " holds other content derived from " + inputKey
                    + " than this run derives (content-sha256 " + existing.get(Lineage.CONTENT_SHA256) + ", not "
                    + sha256 + ")");
        }
        return new Outcome(Published.ALREADY_THERE, "");
    }

    /**
     * Writes a marker once; an existing one (a concurrent run's, or an earlier attempt's) is left as it is.
     *
     * @return {@code CREATED} when this call wrote it
     */
    public PutOutcome mark(String key, ObjectNode marker, ReplayRun run) {
        try {
            return raw.putIfAbsent(key, mapper.writeValueAsBytes(marker), Map.of("source", "replay",
                    RunContext.REPLAY_RUN, KeyParts.sanitise(run.runId()), RunContext.REPLAY_MODE, run.mode().label()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** The marker at the key, if one was written. */
    public Optional<JsonNode> marker(String key) {
        return raw.read(key).map(bytes -> {
            try {
                return mapper.readTree(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("marker " + key + " is not JSON", e);
            }
        });
    }

    /**
     * The metadata within S3's 2 KB: a source identity that would not fit keeps its start and ends in the
     * SHA-256 of the whole value (the input part's lineage has it in full).
     */
    static Map<String, String> fitted(Map<String, String> metadata) {
        int size = metadata.entrySet().stream()
                .mapToInt(e -> utf8(e.getKey()) + utf8(e.getValue())).sum();
        String identity = metadata.get(SOURCE_IDENTITY);
        if (size <= MAX_METADATA_BYTES || identity == null) {
            return metadata;
        }
        String digest = KeyParts.sha256Hex(identity.getBytes(StandardCharsets.UTF_8));
        int keep = identity.length() - (size - MAX_METADATA_BYTES) - CUT.length() - digest.length();
        if (keep < 0) {
            throw new IllegalStateException("lineage does not fit in S3's 2 KB of metadata even without the source "
                    + "identity: " + metadata.keySet());
        }
        Map<String, String> fitted = new LinkedHashMap<>(metadata);
        fitted.put(SOURCE_IDENTITY, identity.substring(0, keep) + CUT + digest);
        return fitted;
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static byte[] gzip(List<byte[]> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024)) {
            for (byte[] line : lines) {
                gzip.write(line);
                gzip.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
