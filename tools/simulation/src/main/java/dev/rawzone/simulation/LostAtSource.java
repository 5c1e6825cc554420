package dev.rawzone.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kinesis ranges a replay scenario declares lost at the source (trimmed before their redrive), held against the
 * lost markers the redrive wrote: each declared range reported once with its exact first and last sequence number,
 * and no other, so what the source no longer holds is on record, never a silent gap.
 */
final class LostAtSource {
    static final String MARKERS = "manifests/replay/lost/kinesis/";

    private LostAtSource() {
    }

    static void check(Lab lab, List<KinesisFailureRange.LostRange> declared, ScenarioResult result) {
        List<KinesisFailureRange.LostRange> reported = new ArrayList<>();
        for (S3Object object : lab.s3.listObjectsV2Paginator(l -> l.bucket(lab.raw).prefix(MARKERS)).contents()) {
            JsonNode marker = json(lab.s3.getObjectAsBytes(g -> g.bucket(lab.raw).key(object.key())).asByteArray());
            marker.path("lost").forEach(lost -> reported.add(new KinesisFailureRange.LostRange(
                    lost.path("first_sequence_number").asText(), lost.path("last_sequence_number").asText())));
        }
        if (!reported.equals(declared)) {
            result.violations.add("lost at the source: declared " + declared + ", the lost markers report " + reported);
        }
        reported.forEach(range -> result.lostAtSource.add(KinesisFailureRange.STREAM + " " + range.first() + ".."
                + range.last()));
    }

    private static JsonNode json(byte[] body) {
        try {
            return S3Simulation.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("a lost marker is not JSON", e);
        }
    }
}
