package dev.rawzone.runner.aws;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Puts every file under a folder (the repository's {@code events/objects/}) into a bucket under the same relative
 * key, so that sample events find the objects they name. A key that already holds the same bytes (same ETag) is left
 * alone, so its version id stays what a sample event may quote.
 */
public final class ObjectSeeder {
    private final AwsClients aws;

    public ObjectSeeder(AwsClients aws) {
        this.aws = aws;
    }

    /** Returns how many objects were written. */
    public int seed(Path folder, String bucket) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        int written = 0;
        for (Path file : files) {
            String key = folder.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            if (!md5(bytes).equals(currentEtag(bucket, key))) {
                aws.s3().putObject(p -> p.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
                written++;
            }
        }
        return written;
    }

    private String currentEtag(String bucket, String key) {
        try {
            return aws.s3().headObject(h -> h.bucket(bucket).key(key)).eTag().replace("\"", "");
        } catch (NoSuchKeyException missing) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
