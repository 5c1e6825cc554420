package dev.rawzone.runner.deploy;

import dev.rawzone.runner.RunnerException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The packaging step of {@code sam package}: each function's code uploaded to the artifacts bucket under the
 * SHA-256 of its bytes (an unchanged jar is not uploaded again, and its key does not change), answered as the
 * {@code s3://} URI the template's {@code CodeUri} becomes.
 */
public final class Artifacts {
    public static final String BUCKET = "rawzone-local-artifacts";

    private final S3Client s3;

    public Artifacts(S3Client s3) {
        this.s3 = s3;
    }

    /** @param codeUris local CodeUri as the template writes it, relative to {@code directory} */
    public Map<String, String> upload(Path directory, Iterable<String> codeUris) {
        ensureBucket();
        Map<String, String> uploaded = new LinkedHashMap<>();
        for (String codeUri : codeUris) {
            Path file = directory.resolve(codeUri).normalize();
            if (!Files.isRegularFile(file)) {
                throw new RunnerException(1, "the code " + codeUri + " is not built: " + file
                        + " does not exist (run mvn -DskipTests package, or use ./ingest)");
            }
            String key = sha256(file) + ".jar";
            if (!exists(key)) {
                s3.putObject(p -> p.bucket(BUCKET).key(key), RequestBody.fromFile(file));
            }
            uploaded.put(codeUri, "s3://" + BUCKET + "/" + key);
        }
        return uploaded;
    }

    private void ensureBucket() {
        try {
            s3.headBucket(h -> h.bucket(BUCKET));
        } catch (S3Exception missing) {
            if (missing.statusCode() != 404) {
                throw missing;
            }
            s3.createBucket(c -> c.bucket(BUCKET));
        }
    }

    private boolean exists(String key) {
        try {
            s3.headObject(h -> h.bucket(BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException missing) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
