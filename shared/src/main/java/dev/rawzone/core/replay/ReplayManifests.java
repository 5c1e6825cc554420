package dev.rawzone.core.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.PutOutcome;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The manifest of a replay run: {@code manifests/replay/<mode>/<run id>/attempt-<n>.jsonl.gz}, gzip JSON Lines,
 * a summary line (selection, totals, units by status) and then one line per unit with what it read and wrote.
 * Each attempt under one run id (a re-run that continues a stopped one) adds the next attempt; none is replaced.
 */
public final class ReplayManifests {
    private static final int MAX_ATTEMPTS = 1000;

    private final ConditionalSink raw;
    private final ObjectMapper mapper;

    public ReplayManifests(ConditionalSink raw, ObjectMapper mapper) {
        this.raw = raw;
        this.mapper = mapper;
    }

    public static String prefix(ReplayMode mode, String runId) {
        return "manifests/replay/" + mode.label() + "/" + KeyParts.sanitise(runId) + "/";
    }

    /** @return the key the manifest was written under */
    public String write(ReplayReport report) {
        byte[] body = gzip(report);
        Map<String, String> metadata = Map.of("source", "replay", "replay-run", KeyParts.sanitise(report.run().runId()),
                "replay-mode", report.run().mode().label(), "record-count", Integer.toString(report.results().size()),
                "content-sha256", KeyParts.sha256Hex(body));
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            String key = prefix(report.run().mode(), report.run().runId()) + "attempt-" + attempt + ".jsonl.gz";
            if (raw.putIfAbsent(key, body, metadata) == PutOutcome.CREATED) {
                return key;
            }
        }
        throw new IllegalStateException("replay run " + report.run().runId() + " has " + MAX_ATTEMPTS
                + " manifests already; start a new run id");
    }

    private byte[] gzip(ReplayReport report) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(line(summary(report)));
            for (UnitResult result : report.results()) {
                gzip.write(line(result.toJson(mapper)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private ObjectNode summary(ReplayReport report) {
        ObjectNode summary = mapper.createObjectNode();
        summary.put("run_id", report.run().runId());
        summary.put("mode", report.run().mode().label());
        summary.put("pipeline_version", report.run().context().pipelineVersion());
        summary.set("selection", report.selection().toJson(mapper));
        summary.put("units", report.results().size());
        summary.set("by_status", mapper.valueToTree(report.byStatus()));
        summary.set("counts", mapper.valueToTree(report.totals().asMap()));
        return summary;
    }

    private byte[] line(ObjectNode node) {
        try {
            byte[] json = mapper.writeValueAsBytes(node);
            byte[] line = new byte[json.length + 1];
            System.arraycopy(json, 0, line, 0, json.length);
            line[json.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
