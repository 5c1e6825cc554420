package dev.rawzone.runner.pull;

import dev.rawzone.core.route.Locations;
import dev.rawzone.core.validate.SchemaSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Schemas in a local folder laid out as {@code SCHEMA_LOCATION} expects: {@code <dir>/<dataset>/v<N>.json}. */
public final class DirectorySchemaSource implements SchemaSource {
    static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]{0,8})\\.json");
    private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*");

    private final Path directory;

    public DirectorySchemaSource(Path directory) {
        this.directory = directory;
    }

    @Override
    public Optional<String> read(String dataset, int version) {
        if (!DATASET.matcher(dataset).matches()) {
            return Optional.empty();
        }
        return Locations.readFile(directory.resolve(dataset).resolve("v" + version + ".json"));
    }

    @Override
    public List<Integer> versions(String dataset) {
        Path folder = directory.resolve(dataset);
        if (!DATASET.matcher(dataset).matches() || !Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> VERSION_FILE.matcher(file.getFileName().toString())).filter(Matcher::matches)
                    .map(matcher -> Integer.parseInt(matcher.group(1))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    @Override
    public String toString() {
        return directory.toString();
    }
}
