package dev.rawzone.functions.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the Distributed Map's ResultWriter wrote for one run, read back as one {@link UnitResult} per item of the
 * run's plan, in plan order. ResultWriter writes {@code <prefix>/<map run id>/manifest.json}
 * ({@code {"DestinationBucket", "MapRunArn", "ResultFiles": {"FAILED": [{"Key", "Size"}], "PENDING": [...],
 * "SUCCEEDED": [...]}}}) and the files it names ({@code SUCCEEDED_0.json}, {@code FAILED_0.json}...), each a JSON
 * array of child executions: {@code Input} and {@code Output} as JSON text, or for a failed one {@code Error} and
 * {@code Cause} (the function's error: {@code {"errorMessage", "errorType", "stackTrace"}} as text).
 *
 * <p>A redriven map lists the results of each of its attempts: a unit's success outweighs its failure, and its
 * failure a pending record. A unit of the plan with no record is {@code NOT_REACHED}; a record of a unit the plan
 * does not list, or of another run, is refused (those are not this run's results).
 */
final class MapResults {
    /** Where the map's manifest.json is: the Map state's {@code ResultWriterDetails}. */
    record Location(String bucket, String key) {
    }

    /** Result files by status, in the order read: each later status outweighs the earlier ones. */
    private static final List<String> STATUSES = List.of("PENDING", "FAILED", "SUCCEEDED");

    private final S3Client s3;
    private final String bucket;
    private final ObjectMapper mapper;

    MapResults(S3Client s3, String bucket, ObjectMapper mapper) {
        this.s3 = s3;
        this.bucket = bucket;
        this.mapper = mapper;
    }

    List<UnitResult> read(Location manifest, ReplayRun run, List<ReplayItem> plan) {
        if (!manifest.bucket().equals(bucket)) {
            throw new IllegalArgumentException("the map's results are in s3://" + manifest.bucket() + ", not in the raw "
                    + "bucket " + bucket + " (the state machine's ResultWriter writes them there)");
        }
        JsonNode files = tree(manifest.key()).path("ResultFiles");
        Map<ReplayItem, UnitResult> byItem = new HashMap<>();
        for (String status : STATUSES) {
            for (JsonNode file : files.path(status)) {
                each(file.path("Key").asText(), record -> {
                    UnitResult result = result(record, run);
                    byItem.put(result.item(), result);
                });
            }
        }
        List<UnitResult> results = new ArrayList<>(plan.size());
        for (ReplayItem item : plan) {
            UnitResult result = byItem.remove(item);
            results.add(result != null ? result : UnitResult.of(item, UnitStatus.NOT_REACHED,
                    "the map has no result for this unit"));
        }
        if (!byItem.isEmpty()) {
            throw new IllegalStateException(byItem.size() + " results in " + manifest.key() + " are of units the plan of "
                    + "run " + run.runId() + " does not list, e.g. " + byItem.keySet().iterator().next());
        }
        return results;
    }

    private UnitResult result(JsonNode record, ReplayRun run) {
        JsonNode input = parse(record.path("Input").asText(), "Input");
        if (!input.path("run_id").asText().equals(run.runId())) {
            throw new IllegalStateException("a result of run " + input.path("run_id").asText() + " is among the results"
                    + " of run " + run.runId());
        }
        ReplayItem item = ReplayItem.fromJson(input.path("item"));
        String status = record.path("Status").asText();
        if (status.equals("SUCCEEDED")) {
            return UnitResult.fromJson(parse(record.path("Output").asText(), "Output"));
        }
        String message = failure(record);
        return UnitFailedException.resultIn(message, mapper)
                .orElseGet(() -> UnitResult.of(item, UnitStatus.FAILED, message));
    }

    /** The function's error message, else Step Functions' error and cause as they are. */
    private String failure(JsonNode record) {
        String cause = record.path("Cause").asText("");
        try {
            JsonNode error = mapper.readTree(cause);
            if (error != null && error.path("errorMessage").isTextual()) {
                return error.get("errorMessage").asText();
            }
        } catch (IOException e) {
            // a cause that is not the function's error JSON (a timeout, an abort) is reported as it is
        }
        String error = record.path("Error").asText(record.path("Status").asText());
        return cause.isEmpty() ? error : error + ": " + cause;
    }

    private void each(String key, Consumer<JsonNode> record) {
        try (InputStream in = s3.getObject(get -> get.bucket(bucket).key(key));
             JsonParser parser = mapper.getFactory().createParser(in)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalStateException("the map's result file " + key + " is not a JSON array");
            }
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                record.accept(parser.readValueAsTree());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the map's result file " + key, e);
        }
    }

    private JsonNode tree(String key) {
        try (InputStream in = s3.getObject(get -> get.bucket(bucket).key(key))) {
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the map's manifest " + key, e);
        }
    }

    private JsonNode parse(String json, String field) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("a result's " + field + " is not JSON: " + json, e);
        }
    }
}
