package dev.rawzone.core.validate;

import dev.rawzone.core.route.Locations;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Schemas bundled in the function jar under a classpath root, e.g. {@code schemas/orders/v1.json}. The classpath
 * cannot be listed, so {@link #versions} probes v1, v2, ... and stops at the first missing one.
 */
public final class ClasspathSchemaSource implements SchemaSource {
    private final String root;

    /** @param root the resource folder, e.g. {@code "schemas"} (a {@code classpath:} scheme is accepted too) */
    public ClasspathSchemaSource(String root) {
        Objects.requireNonNull(root, "root");
        String name = root.startsWith(Locations.CLASSPATH_SCHEME) ? root.substring(Locations.CLASSPATH_SCHEME.length()) : root;
        name = name.replaceAll("^/+", "").replaceAll("/+$", "");
        this.root = name;
    }

    @Override
    public Optional<String> read(String dataset, int version) {
        DatasetNames.require(dataset);
        return Locations.readClasspath(resource(dataset, version));
    }

    @Override
    public List<Integer> versions(String dataset) {
        DatasetNames.require(dataset);
        List<Integer> versions = new ArrayList<>();
        for (int version = 1; Locations.hasClasspathResource(resource(dataset, version)); version++) {
            versions.add(version);
        }
        return versions;
    }

    private String resource(String dataset, int version) {
        String file = dataset + "/v" + version + ".json";
        return root.isEmpty() ? file : root + "/" + file;
    }

    @Override
    public String toString() {
        return Locations.CLASSPATH_SCHEME + root;
    }
}
