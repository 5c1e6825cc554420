package dev.rawzone.core.pull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.observe.WrittenVolume;

import java.util.Map;
import java.util.Optional;

/**
 * What pulling one source did in one run: how it ended and why, the four counts (which add up), what it cost in
 * requests, and the checkpoint before and after. Holds no credential.
 *
 * @param pages      pages committed this run
 * @param written    parts (data and quarantine) this run created; the others were found already written
 */
public record SourceReport(String source, String dataset, PullStatus status, Optional<String> reason, Counts counts,
                           int pages, int requests, int retries, int throttled, long waitedMillis, int dataParts,
                           int quarantineParts, WrittenVolume written, Map<String, Object> checkpointBefore,
                           Map<String, Object> checkpointAfter, Optional<String> quarantinedPage) {

    public int newParts() {
        return (int) written.parts();
    }

    public boolean failed() {
        return status == PullStatus.FAILED;
    }

    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode();
        json.put("source", source);
        json.put("dataset", dataset);
        json.put("status", status.name());
        reason.ifPresent(text -> json.put("reason", text));
        counts.asMap().forEach(json::put);
        json.put("pages", pages);
        json.put("requests", requests);
        json.put("retries", retries);
        json.put("throttled", throttled);
        json.put("waited_ms", waitedMillis);
        json.put("data_parts", dataParts);
        json.put("quarantine_parts", quarantineParts);
        json.put("new_parts", newParts());
        json.put("bytes_written", written.bytes());
        json.set("checkpoint_before", mapper.valueToTree(checkpointBefore));
        json.set("checkpoint_after", mapper.valueToTree(checkpointAfter));
        quarantinedPage.ifPresent(key -> json.put("quarantined_page", key));
        return json;
    }
}
