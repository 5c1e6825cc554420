package dev.rawzone.core.validate;

import dev.rawzone.core.route.Locations;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Schemas in S3 at {@code s3://bucket/prefix/<dataset>/v<N>.json}; versions are found with ListObjectsV2 under
 * {@code prefix/<dataset>/} (only direct children named {@code v<N>.json} count). The client is asked for once,
 * on first use.
 */
public final class S3SchemaSource implements SchemaSource {
    private static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]{0,8})\\.json");

    private final Supplier<S3Client> clientSupplier;
    private final String bucket;
    private final String prefix;
    private volatile S3Client client;

    /** @param prefix the folder holding one sub-folder per dataset; may be empty */
    public S3SchemaSource(Supplier<S3Client> s3, String bucket, String prefix) {
        this.clientSupplier = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        String folder = Objects.requireNonNull(prefix, "prefix").replaceAll("^/+", "").replaceAll("/+$", "");
        this.prefix = folder.isEmpty() ? "" : folder + "/";
    }

    @Override
    public Optional<String> read(String dataset, int version) {
        DatasetNames.require(dataset);
        return Locations.readS3(client(), bucket, folder(dataset) + "v" + version + ".json");
    }

    @Override
    public List<Integer> versions(String dataset) {
        DatasetNames.require(dataset);
        String folder = folder(dataset);
        List<Integer> versions = new ArrayList<>();
        client().listObjectsV2Paginator(request -> request.bucket(bucket).prefix(folder).delimiter("/"))
                .forEach(page -> {
                    for (S3Object object : page.contents()) {
                        Matcher matcher = VERSION_FILE.matcher(object.key().substring(folder.length()));
                        if (matcher.matches()) {
                            versions.add(Integer.parseInt(matcher.group(1)));
                        }
                    }
                });
        versions.sort(null);
        return versions;
    }

    private String folder(String dataset) {
        return prefix + dataset + "/";
    }

    private S3Client client() {
        S3Client current = client;
        if (current == null) {
            synchronized (this) {
                current = client;
                if (current == null) {
                    current = Objects.requireNonNull(clientSupplier.get(), "S3 client supplier returned null");
                    client = current;
                }
            }
        }
        return current;
    }

    @Override
    public String toString() {
        return Locations.S3_SCHEME + bucket + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
    }
}
