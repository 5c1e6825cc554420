package dev.rawzone.functions.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.observe.InvocationFigures;
import dev.rawzone.core.s3.Announcement;
import dev.rawzone.core.s3.ObjectReport;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What one invocation did: totals, one entry per object, and what it left alone and why. {@code unreadable_units}
 * says how many of the counted entries are not records but unreadable whole objects or remainders (each counted
 * once, quarantined or, when seen again, a duplicate), so totals across objects can be read as records.
 */
final class IngestReport {
    private final List<ObjectReport> objects = new ArrayList<>();
    private final List<Announcement.Ignore> ignored = new ArrayList<>();
    private final Set<ObjectReport> handedOff = Collections.newSetFromMap(new IdentityHashMap<>());

    void add(ObjectReport report) {
        objects.add(report);
    }

    /** The object, added before, was handed to the continuation queue (a stop whose hand-off failed is not). */
    void handedOff(ObjectReport report) {
        handedOff.add(report);
    }

    void ignored(Announcement.Ignore ignore) {
        ignored.add(ignore);
    }

    List<ObjectReport> objects() {
        return objects;
    }

    List<Announcement.Ignore> ignored() {
        return ignored;
    }

    /** How many objects this invocation stopped reading before their end and handed to a continuation. */
    long continued() {
        return handedOff.size();
    }

    Counts totals() {
        return objects.stream().map(ObjectReport::counts).reduce(Counts.ZERO, Counts::plus);
    }

    /** Per dataset: the counts, the parts written, and how many objects were handed to a continuation. */
    InvocationFigures figures() {
        InvocationFigures figures = new InvocationFigures();
        for (ObjectReport report : objects) {
            report.dataset().ifPresent(dataset -> figures.dataset(dataset).add(report.counts()).add(report.written())
                    .sum("Continuations", handedOff.contains(report) ? 1 : 0, MetricUnit.COUNT));
        }
        return figures;
    }

    ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode();
        totals().asMap().forEach(json::put);
        json.put("continued", continued());
        json.put("unreadable_units", objects.stream().filter(report -> report.unreadable().isPresent()).count());
        ArrayNode objectsJson = json.putArray("objects");
        for (ObjectReport report : objects) {
            ObjectNode entry = objectsJson.addObject();
            entry.put("bucket", report.notice().bucket());
            entry.put("key", report.notice().key());
            entry.put("versionId", report.notice().versionId().orElse(null));
            entry.put("dataset", report.dataset().orElse(null));
            entry.put("outcome", report.outcome().name());
            report.reason().ifPresent(reason -> entry.put("reason", reason));
            report.counts().asMap().forEach(entry::put);
            entry.put("parts_written", report.written().parts()).put("bytes_written", report.written().bytes());
            report.unreadable().ifPresent(unreadable -> entry.set("unreadable", unreadable.toJson(mapper)));
            entry.set("dataKeys", mapper.valueToTree(report.dataKeys()));
            entry.set("quarantineKeys", mapper.valueToTree(report.quarantineKeys()));
        }
        ArrayNode ignoredJson = json.putArray("ignored");
        for (Announcement.Ignore ignore : ignored) {
            ignoredJson.addObject().put("bucket", ignore.bucket()).put("key", ignore.key()).put("reason", ignore.reason());
        }
        return json;
    }
}
