package dev.rawzone.testkit;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads a raw-zone bucket back for assertions: its keys, and the lines of its gzip JSON Lines parts. */
public final class RawZoneReader {
    private final S3Client s3;
    private final String bucket;

    public RawZoneReader(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    /** Every line of every {@code .jsonl.gz} part under the prefix, in key order. */
    public List<String> lines(String prefix) {
        List<String> lines = new ArrayList<>();
        for (String key : keys(prefix)) {
            if (!key.endsWith(".jsonl.gz")) {
                continue;
            }
            byte[] body = s3.getObjectAsBytes(get -> get.bucket(bucket).key(key)).asByteArray();
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                lines.addAll(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
            } catch (IOException e) {
                throw new UncheckedIOException("part " + key + " is not gzip", e);
            }
        }
        return lines;
    }
}
