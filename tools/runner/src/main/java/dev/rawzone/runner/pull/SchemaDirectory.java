package dev.rawzone.runner.pull;

import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaException;
import dev.rawzone.runner.RunnerException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A local folder of dataset schemas ({@code <dataset>/v<N>.json}), checked as the functions' catalogue would load
 * them (versions without a gap, valid JSON Schema, each version backward compatible with the last), and uploaded to
 * the emulator so that a function with {@code SCHEMA_LOCATION=s3://bucket/prefix} reads them: a new dataset needs no
 * new build.
 */
public final class SchemaDirectory {
    /** Where {@code invoke --schemas} puts them in the raw bucket of the emulator. */
    public static final String PREFIX = "config/schemas";

    private final Path directory;
    private final SchemaCatalogue catalogue;

    private SchemaDirectory(Path directory) {
        this.directory = directory;
        this.catalogue = new SchemaCatalogue(new DirectorySchemaSource(directory));
    }

    public static SchemaDirectory open(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new RunnerException(2, "schemas directory " + directory + " does not exist (expected "
                    + "<dataset>/v<N>.json files in it)");
        }
        SchemaDirectory schemas = new SchemaDirectory(directory);
        if (schemas.files().isEmpty()) {
            throw new RunnerException(2, "schemas directory " + directory + " holds no <dataset>/v<N>.json file");
        }
        return schemas;
    }

    public SchemaCatalogue catalogue() {
        return catalogue;
    }

    /** Loads each dataset's schemas now, so a missing or refused schema is an error before anything runs. */
    public void require(List<String> datasets) {
        for (String dataset : datasets) {
            try {
                catalogue.currentVersion(dataset);
            } catch (SchemaException e) {
                throw new RunnerException(2, "schemas directory " + directory + ": " + e.getMessage());
            }
        }
    }

    /** Puts every schema file at {@code s3://bucket/PREFIX/<dataset>/v<N>.json}; returns the location. */
    public String upload(S3Client s3, String bucket) {
        for (Path file : files()) {
            String key = PREFIX + "/" + directory.relativize(file).toString().replace('\\', '/');
            s3.putObject(put -> put.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromFile(file));
        }
        return "s3://" + bucket + "/" + PREFIX;
    }

    public int size() {
        return files().size();
    }

    private List<Path> files() {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> datasets = Files.list(directory)) {
            for (Path dataset : datasets.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> versions = Files.list(dataset)) {
                    versions.filter(file -> DirectorySchemaSource.VERSION_FILE.matcher(file.getFileName().toString())
                            .matches()).sorted().forEach(files::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        return files;
    }
}
