package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.pull.SourceReport;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** What one invocation did: totals, and one entry per source with its status and checkpoint before and after. */
final class PullReport {
    private final List<SourceReport> sources = new ArrayList<>();

    void add(SourceReport report) {
        sources.add(report);
    }

    List<SourceReport> sources() {
        return sources;
    }

    Counts totals() {
        return sources.stream().map(SourceReport::counts).reduce(Counts.ZERO, Counts::plus);
    }

    boolean failed() {
        return sources.stream().anyMatch(SourceReport::failed);
    }

    String failureSummary() {
        List<SourceReport> failed = sources.stream().filter(SourceReport::failed).toList();
        return failed.size() + " of " + sources.size() + " pull sources failed: " + failed.stream()
                .map(report -> report.source() + ": " + report.reason().orElse("failed"))
                .collect(Collectors.joining("; "));
    }

    ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode();
        totals().asMap().forEach(json::put);
        ArrayNode entries = json.putArray("sources");
        sources.forEach(report -> entries.add(report.toJson(mapper)));
        return json;
    }
}
