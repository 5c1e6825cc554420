package dev.rawzone.core.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.read.ReadProgress;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * How far an object version was read when an invocation stopped before its end, at a segment end: every record
 * up to {@code read} is settled and every part holding them published. The counts and part keys are totals over
 * all invocations so far, so the one that reaches the end writes a manifest for the whole object.
 *
 * @param eTag        the ETag of the content read, which the next invocation must find again
 * @param date        the {@code dt=} of the object's parts and manifest (from the object's Last-Modified)
 * @param invocations how many invocations have read the object so far
 */
record ObjectProgress(ReadProgress read, String eTag, LocalDate date, Counts counts, List<String> dataKeys,
                      List<String> quarantineKeys, int invocations) {

    static final ObjectProgress NONE = new ObjectProgress(ReadProgress.START, "", LocalDate.EPOCH, Counts.ZERO,
            List.of(), List.of(), 0);

    /** This progress with what one more invocation settled, up to {@code reached}. */
    ObjectProgress then(ReadProgress reached, String eTag, LocalDate date, Counts settled, List<String> moreData,
                        List<String> moreQuarantine) {
        return new ObjectProgress(reached, eTag, date, counts.plus(settled), joined(dataKeys, moreData),
                joined(quarantineKeys, moreQuarantine), invocations + 1);
    }

    boolean started() {
        return invocations > 0;
    }

    ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode();
        json.put("lines", read.lines());
        json.put("bytes", read.bytes());
        json.put("etag", eTag);
        json.put("date", date.toString());
        json.set("counts", mapper.valueToTree(counts.asMap()));
        json.set("data_parts", mapper.valueToTree(dataKeys));
        json.set("quarantine_parts", mapper.valueToTree(quarantineKeys));
        json.put("invocations", invocations);
        return json;
    }

    static ObjectProgress fromJson(JsonNode json) {
        return new ObjectProgress(new ReadProgress(json.path("lines").asLong(), json.path("bytes").asLong()),
                json.path("etag").asText(), LocalDate.parse(json.path("date").asText()),
                Counts.fromJson(json.path("counts")), texts(json.path("data_parts")),
                texts(json.path("quarantine_parts")), json.path("invocations").asInt());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    static List<String> joined(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }
}
