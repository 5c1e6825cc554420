package dev.rawzone.core.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.Lineage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The report of {@link SourcePuller#check}: the first page of a source, from a fresh checkpoint, after the engine
 * wrote it into a raw zone in memory. It shows what happened there: the request, each record (its cursor value and
 * id as the API sent them, its position) with the part it went to and why, the parts with their record counts and
 * first and last positions, the counts, and the checkpoint the page would leave. Each record's outcome is read back
 * from the parts: a data part's lines are the records' own text, a quarantine entry carries its position and reason;
 * a record in neither was skipped as a duplicate.
 */
final class SourceCheck {
    private static final int MAX_TEXT = 120;
    private static final List<String> ZONES = List.of("raw/", "quarantine/");

    private final PullSource source;
    private final PositionScheme scheme;
    private final ObjectMapper mapper;

    SourceCheck(PullSource source, PositionScheme scheme, ObjectMapper mapper) {
        this.source = source;
        this.scheme = scheme;
        this.mapper = mapper;
    }

    /** The source could not be checked: no secret, no schema, or the page is one a run would stop at. */
    ObjectNode failed(URI request, String reason) {
        return header(request).put("status", "failed").put("reason", reason);
    }

    /** The report of a page the engine wrote into {@code written}, a raw zone holding nothing else. */
    ObjectNode page(StagedPage page, Counts counts, ConditionalSink written, Map<String, Object> checkpointAfter) {
        ObjectNode report = header(page.url()).put("status", "ok");
        report.put("schema", source.dataset() + " v" + page.schemaVersion());
        Map<String, Deque<String>> dataParts = new HashMap<>();
        Map<String, Deque<JsonNode>> entries = new HashMap<>();
        ArrayNode parts = mapper.createArrayNode();
        for (String zone : ZONES) {
            for (String key : written.keys(zone)) {
                Map<String, String> metadata = written.metadata(key).orElseThrow();
                parts.addObject().put("key", key).put("records", Integer.parseInt(metadata.get(Lineage.RECORD_COUNT)))
                        .put("first", metadata.get(Lineage.POSITION_FIRST))
                        .put("last", metadata.get(Lineage.POSITION_LAST));
                for (String line : lines(written.read(key).orElseThrow())) {
                    if (zone.equals("raw/")) {
                        dataParts.computeIfAbsent(line, text -> new ArrayDeque<>()).add(key);
                    } else {
                        JsonNode entry = read(line).put("part", key);
                        entries.computeIfAbsent(entry.path("position").asText(), at -> new ArrayDeque<>()).add(entry);
                    }
                }
            }
        }
        ArrayNode records = report.putArray("records");
        List<PageBody.Element> elements = page.body().records();
        for (int i = 0; i < elements.size(); i++) {
            records.add(record(elements.get(i), page.seq(), i, dataParts, entries));
        }
        report.putObject("counts").put("in", counts.in()).put("written", counts.written())
                .put("quarantined", counts.quarantined()).put("duplicates", counts.duplicates());
        report.set("parts", parts);
        report.set("checkpoint_after", mapper.valueToTree(checkpointAfter));
        return report;
    }

    /** One record as shown, with what became of it: taken from the parts it is found in, else a duplicate. */
    private ObjectNode record(PageBody.Element element, long seq, int index, Map<String, Deque<String>> dataParts,
                              Map<String, Deque<JsonNode>> entries) {
        ObjectNode line = mapper.createObjectNode();
        String text = new String(element.text(), StandardCharsets.UTF_8);
        if (element.tree() instanceof ObjectNode record) {
            line.set("cursor", orNull(record.get(source.cursor().field())));
            line.set("id", orNull(record.get(source.idField())));
            if (scheme.place(record, seq, index) instanceof PositionScheme.Placed placed) {
                line.put("position", placed.position().toString());
            }
        } else {
            line.put("text", text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...");
        }
        String part = next(dataParts.get(text));
        if (part != null) {
            return line.put("outcome", "write").put("part", part);
        }
        String position = line.has("position") ? line.get("position").asText()
                : scheme.unplaced(text, seq, index).toString();
        JsonNode entry = next(entries.get(position));
        if (entry != null) {
            return line.put("outcome", "quarantine").put("reason", entry.path("reason").asText())
                    .put("part", entry.path("part").asText());
        }
        return line.put("outcome", "duplicate").put("reason", line.has("position")
                ? "a record earlier in the page has the same position" : "a record earlier in the page has the same text");
    }

    private ObjectNode header(URI request) {
        ObjectNode report = mapper.createObjectNode();
        report.put("source", source.name()).put("dataset", source.dataset()).put("request", "GET " + request);
        return report;
    }

    private ObjectNode read(String line) {
        try {
            return (ObjectNode) mapper.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("a quarantine entry the engine wrote is JSON", e);
        }
    }

    private static List<String> lines(byte[] gzip) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("a part the engine wrote is gzip", e);
        }
    }

    private static <T> T next(Deque<T> queue) {
        return queue == null ? null : queue.poll();
    }

    private static JsonNode orNull(JsonNode value) {
        return value == null ? NullNode.getInstance() : value;
    }
}
