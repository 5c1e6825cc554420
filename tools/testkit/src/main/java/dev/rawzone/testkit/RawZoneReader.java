package dev.rawzone.testkit;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        for (String key : parts(prefix)) {
            lines.addAll(List.of(new String(content(key), StandardCharsets.UTF_8).split("\n")));
        }
        return lines;
    }

    /** The keys of the {@code .jsonl.gz} parts under the prefix, in key order. */
    public List<String> parts(String prefix) {
        return keys(prefix).stream().filter(key -> key.endsWith(".jsonl.gz")).toList();
    }

    /** The stored bytes of an object. */
    public byte[] bytes(String key) {
        return s3.getObjectAsBytes(get -> get.bucket(bucket).key(key)).asByteArray();
    }

    /** A part's content: its bytes gunzipped. */
    public byte[] content(String key) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes(key)))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("part " + key + " is not gzip", e);
        }
    }

    public Map<String, String> metadata(String key) {
        return s3.headObject(head -> head.bucket(bucket).key(key)).metadata();
    }
}
