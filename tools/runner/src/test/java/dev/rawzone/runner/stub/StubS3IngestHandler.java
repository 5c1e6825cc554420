package dev.rawzone.runner.stub;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.event.MalformedEventException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * Test stub standing in for S3IngestFunction in the demo's test: one record per object. It finds the object by the
 * decoded key, version and ETag (so a wrongly built event fails), writes a marker under raw/ with If-None-Match
 * (a second delivery counts as a duplicate) or under quarantine/ for a gzip that does not read to the end.
 */
public final class StubS3IngestHandler implements RequestStreamHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final S3Client s3 = S3Client.builder().forcePathStyle(true)
            .httpClient(UrlConnectionHttpClient.create()).build();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode records = JSON.readTree(input).get("Records");
        if (records == null) {
            throw new MalformedEventException("not an S3 event: no Records");
        }
        String raw = System.getenv("RAW_BUCKET");
        ObjectNode response = JSON.createObjectNode();
        ArrayNode objects = response.putArray("objects");
        int[] totals = new int[5];
        for (JsonNode record : records) {
            JsonNode object = record.path("s3").path("object");
            String bucket = record.path("s3").path("bucket").path("name").asText();
            String key = URLDecoder.decode(object.path("key").asText(), StandardCharsets.UTF_8);
            String versionId = object.path("versionId").asText(null);
            HeadObjectResponse head = s3.headObject(h -> h.bucket(bucket).key(key).versionId(versionId));
            if (!head.eTag().replace("\"", "").equals(object.path("eTag").asText())
                    || head.contentLength() != object.path("size").asLong()) {
                throw new IllegalStateException("event does not match the object " + key);
            }
            byte[] bytes = s3.getObjectAsBytes(g -> g.bucket(bucket).key(key).versionId(versionId)).asByteArray();
            int[] counts = new int[5]; // in, written, quarantined, duplicates, failed
            counts[0] = 1;
            String outcome;
            if (key.endsWith(".gz") && !readsToEnd(bytes)) {
                s3.putObject(p -> p.bucket(raw).key("quarantine/" + key + ".reason"), RequestBody.fromString("truncated gzip"));
                counts[2] = 1;
                outcome = "quarantined";
            } else {
                try {
                    s3.putObject(p -> p.bucket(raw).key("raw/" + key).ifNoneMatch("*"), RequestBody.fromBytes(bytes));
                    counts[1] = 1;
                    outcome = "written";
                } catch (S3Exception e) {
                    if (e.statusCode() != 412) {
                        throw e;
                    }
                    counts[3] = 1;
                    outcome = "duplicate";
                }
            }
            ObjectNode entry = objects.addObject();
            entry.put("bucket", bucket);
            entry.put("key", key);
            entry.put("versionId", versionId);
            String[] names = {"in", "written", "quarantined", "duplicates", "failed"};
            for (int i = 0; i < 5; i++) {
                entry.put(names[i], counts[i]);
                totals[i] += counts[i];
            }
            entry.put("outcome", outcome);
        }
        String[] names = {"in", "written", "quarantined", "duplicates", "failed"};
        for (int i = 0; i < 5; i++) {
            response.put(names[i], totals[i]);
        }
        s3.putObject(p -> p.bucket(raw).key("manifests/" + context.getAwsRequestId() + ".json"),
                RequestBody.fromString(response.toString()));
        output.write(JSON.writeValueAsBytes(response));
    }

    private static boolean readsToEnd(byte[] gzip) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            in.readAllBytes();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
