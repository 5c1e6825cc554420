package dev.rawzone.core.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;

import java.util.ArrayList;
import java.util.List;

/**
 * What became of one replay unit: its status, why (for a problem), the records it accounted for, and the keys it
 * read and wrote (the replay run's manifest lists them).
 *
 * @param counts    records the unit handled: in, written, quarantined, duplicates (already there), failed
 * @param bytesRead bytes of stored or source data read, for the progress rate
 */
public record UnitResult(ReplayItem item, UnitStatus status, String detail, Counts counts, List<String> read,
                         List<String> written, long bytesRead) {
    public UnitResult {
        read = List.copyOf(read);
        written = List.copyOf(written);
    }

    public static UnitResult of(ReplayItem item, UnitStatus status, String detail) {
        return new UnitResult(item, status, detail, Counts.ZERO, List.of(), List.of(), 0);
    }

    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode();
        node.set("item", item.toJson(mapper));
        node.put("status", status.name());
        node.put("detail", detail);
        node.set("counts", mapper.valueToTree(counts.asMap()));
        node.set("read", mapper.valueToTree(read));
        node.set("written", mapper.valueToTree(written));
        node.put("bytes_read", bytesRead);
        return node;
    }

    public static UnitResult fromJson(JsonNode node) {
        return new UnitResult(ReplayItem.fromJson(node.path("item")), UnitStatus.valueOf(node.path("status").asText()),
                node.path("detail").asText(""),
                Counts.fromJson(node.path("counts")),
                texts(node.path("read")), texts(node.path("written")), node.path("bytes_read").asLong());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }
}
