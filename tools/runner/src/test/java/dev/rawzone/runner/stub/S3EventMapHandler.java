package dev.rawzone.runner.stub;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test stub: a typed handler; the harness must deserialize its S3Event and serialize its Map. */
public final class S3EventMapHandler implements RequestHandler<S3Event, Map<String, Object>> {
    @Override
    public Map<String, Object> handleRequest(S3Event event, Context context) {
        List<String> keys = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        event.getRecords().forEach(record -> {
            keys.add(record.getS3().getObject().getUrlDecodedKey());
            versions.add(record.getS3().getObject().getVersionId());
        });
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("in", keys.size());
        counts.put("written", keys.size() - 1);
        counts.put("quarantined", 1);
        counts.put("duplicates", 0);
        counts.put("failed", 0);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("keys", keys);
        response.put("versions", versions);
        response.put("stage", System.getenv("STAGE"));
        response.put("counts", counts);
        return response;
    }
}
