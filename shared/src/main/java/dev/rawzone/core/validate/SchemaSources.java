package dev.rawzone.core.validate;

import dev.rawzone.core.route.Locations;
import dev.rawzone.core.route.Locations.ClasspathLocation;
import dev.rawzone.core.route.Locations.Location;
import dev.rawzone.core.route.Locations.S3Location;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the {@link SchemaSource} for a configured location. */
public final class SchemaSources {
    private SchemaSources() {
    }

    /**
     * {@code classpath:<root>} gives a {@link ClasspathSchemaSource}, {@code s3://bucket/prefix} an
     * {@link S3SchemaSource} (which asks {@code s3} for a client on first use).
     *
     * @throws IllegalArgumentException for any other kind of location
     */
    public static SchemaSource fromLocation(String location, Supplier<S3Client> s3) {
        Location parsed = Locations.parse(location);
        if (parsed instanceof ClasspathLocation classpath) {
            return new ClasspathSchemaSource(classpath.resource());
        }
        if (parsed instanceof S3Location object) {
            return new S3SchemaSource(s3, object.bucket(), object.key());
        }
        throw new IllegalArgumentException("schema location must be classpath:<root> or s3://bucket/prefix, got '"
                + location + "'");
    }
}
