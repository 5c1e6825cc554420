package dev.rawzone.runner.stub;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.event.EventPlanner;
import dev.rawzone.core.event.MalformedEventException;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Test stub: a stream handler that counts the event's records and echoes what it sees of its environment. */
public final class EchoStreamHandler implements RequestStreamHandler, EventPlanner {
    static final List<String> ECHOED = List.of("STAGE", "POWERTOOLS_SERVICE_NAME", "LOG_LEVEL", "LANDING_BUCKET",
            "RAW_BUCKET_ARN", "LEDGER_TABLE", "STREAM_ARN", "DLQ_URL", "DLQ_ARN", "SECOND_ZONE", "MODE", "OPTIONAL",
            "ESCAPED", "RAW_OBJECTS", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID",
            "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "CBOR_ENABLED", "RUNNER_TEST_SECRET");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        System.out.println("stub: a line on System.out is a log line, not part of the response");
        context.getLogger().log("stub: a line through the context's logger");
        if (event.has("sleepMillis")) {
            try {
                Thread.sleep(event.get("sleepMillis").asLong());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (event.has("boom")) {
            throw new IllegalStateException("boom requested\nwith a second line");
        }
        JsonNode records = records(event);
        ObjectNode response = JSON.createObjectNode();
        response.put("in", records.size());
        response.put("written", records.size());
        response.put("quarantined", 0);
        response.put("duplicates", 0);
        response.put("failed", 0);
        ObjectNode env = response.putObject("env");
        for (String name : ECHOED) {
            env.put(name, System.getenv(name));
        }
        response.put("functionName", context.getFunctionName());
        response.put("memoryLimitInMB", context.getMemoryLimitInMB());
        response.put("remainingTimeInMillis", context.getRemainingTimeInMillis());
        response.put("awsRequestId", context.getAwsRequestId());
        response.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        response.put("runnerLibraryVisible", visible("org.yaml.snakeyaml.Yaml"));
        response.put("tieredStopAtLevel", ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("TieredStopAtLevel").getValue());
        output.write(JSON.writeValueAsBytes(response));
    }

    @Override
    public List<ObjectNode> plan(InputStream event) {
        JsonNode records;
        try {
            records = records(JSON.readTree(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<ObjectNode> plan = new ArrayList<>();
        for (JsonNode record : records) {
            ObjectNode entry = JSON.createObjectNode();
            entry.put("action", "ingest");
            entry.put("key", record.path("s3").path("object").path("key").asText());
            plan.add(entry);
        }
        return plan;
    }

    private static JsonNode records(JsonNode event) {
        JsonNode records = event.get("Records");
        if (records == null || !records.isArray()) {
            throw new MalformedEventException("event has no Records array");
        }
        return records;
    }

    private boolean visible(String className) {
        try {
            Class.forName(className, false, getClass().getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
