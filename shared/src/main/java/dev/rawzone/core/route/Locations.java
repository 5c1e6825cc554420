package dev.rawzone.core.route;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Where a configuration document lives and how to read it as text. A location is one of
 * <ul>
 *   <li>{@code classpath:<resource>}: a resource bundled in the function jar;</li>
 *   <li>{@code s3://bucket/key}: an S3 object (read with the caller's client);</li>
 *   <li>anything else: a filesystem path.</li>
 * </ul>
 * Used for the routing config and for schema files, so both read their documents the same way.
 * Text is decoded as UTF-8; a leading byte-order mark is dropped.
 */
public final class Locations {
    public static final String CLASSPATH_SCHEME = "classpath:";
    public static final String S3_SCHEME = "s3://";

    private Locations() {
    }

    /** A parsed location. */
    public sealed interface Location permits ClasspathLocation, S3Location, FileLocation {
    }

    /** A classpath resource name, without a leading slash. */
    public record ClasspathLocation(String resource) implements Location {
        public ClasspathLocation {
            Objects.requireNonNull(resource, "resource");
        }

        @Override
        public String toString() {
            return CLASSPATH_SCHEME + resource;
        }
    }

    /** An S3 bucket and key (the key may be empty when the location names a prefix). */
    public record S3Location(String bucket, String key) implements Location {
        public S3Location {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String toString() {
            return S3_SCHEME + bucket + "/" + key;
        }
    }

    /** A filesystem path. */
    public record FileLocation(Path path) implements Location {
        public FileLocation {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /**
     * Parses {@code classpath:<resource>}, {@code s3://bucket[/key]} or a filesystem path.
     *
     * @throws IllegalArgumentException when the location is empty or lacks its resource or bucket
     */
    public static Location parse(String location) {
        Objects.requireNonNull(location, "location");
        String text = location.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("location is empty");
        }
        if (text.startsWith(CLASSPATH_SCHEME)) {
            String resource = stripLeadingSlashes(text.substring(CLASSPATH_SCHEME.length()));
            if (resource.isEmpty()) {
                throw new IllegalArgumentException("classpath location names no resource: '" + location + "'");
            }
            return new ClasspathLocation(resource);
        }
        if (text.startsWith(S3_SCHEME)) {
            String rest = text.substring(S3_SCHEME.length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String key = slash < 0 ? "" : rest.substring(slash + 1);
            if (bucket.isEmpty()) {
                throw new IllegalArgumentException("s3 location names no bucket: '" + location + "'");
            }
            return new S3Location(bucket, key);
        }
        return new FileLocation(Path.of(text));
    }

    /**
     * Reads the whole document at {@code location}.
     *
     * @param s3 asked for a client only when the location is an S3 object
     * @throws IllegalArgumentException when nothing is there (missing resource, object or file)
     */
    public static String read(String location, Supplier<S3Client> s3) {
        Location parsed = parse(location);
        return readIfPresent(parsed, s3)
                .orElseThrow(() -> new IllegalArgumentException("nothing found at '" + location + "'"));
    }

    /**
     * Reads the document at {@code location}, or empty when it does not exist. Any other failure (an I/O error,
     * S3 access denied, a missing bucket) is thrown, so a misconfiguration is never mistaken for absence.
     */
    public static Optional<String> readIfPresent(Location location, Supplier<S3Client> s3) {
        Objects.requireNonNull(location, "location");
        if (location instanceof ClasspathLocation classpath) {
            return readClasspath(classpath.resource());
        }
        if (location instanceof S3Location object) {
            return readS3(s3.get(), object.bucket(), object.key());
        }
        return readFile(((FileLocation) location).path());
    }

    /** A classpath resource as text, or empty when there is no such resource. */
    public static Optional<String> readClasspath(String resource) {
        String name = stripLeadingSlashes(resource);
        try (InputStream in = classLoader().getResourceAsStream(name)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(decode(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read classpath resource '" + name + "'", e);
        }
    }

    /** Whether a classpath resource exists, without reading it. */
    public static boolean hasClasspathResource(String resource) {
        return classLoader().getResource(stripLeadingSlashes(resource)) != null;
    }

    /** An S3 object as text, or empty when there is no such key (a missing bucket is an error). */
    public static Optional<String> readS3(S3Client s3, String bucket, String key) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("s3 location names no object key: '" + S3_SCHEME + bucket + "/'");
        }
        try {
            return Optional.of(decode(s3.getObjectAsBytes(request -> request.bucket(bucket).key(key)).asByteArray()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** A file as text, or empty when there is no such file. */
    public static Optional<String> readFile(Path path) {
        try {
            return Optional.of(decode(Files.readAllBytes(path)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read file '" + path + "'", e);
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : Locations.class.getClassLoader();
    }

    private static String decode(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static String stripLeadingSlashes(String name) {
        int start = 0;
        while (start < name.length() && name.charAt(start) == '/') {
            start++;
        }
        return name.substring(start);
    }
}
