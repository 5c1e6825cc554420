package dev.rawzone.runner.pull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.pull.InvalidPullConfigException;
import dev.rawzone.core.pull.PullSource;
import dev.rawzone.core.pull.PullSources;
import dev.rawzone.runner.RunnerException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A user's pull sources configuration, read from a file and checked by the function's own parser, so a mistake is
 * shown with its field path (for example {@code sources[0].cursor.kind}) before anything is started.
 */
public record SourcesFile(Path file, String text, PullSources sources) {

    public static SourcesFile read(Path file, ObjectMapper mapper) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RunnerException(2, "sources file " + file + " does not exist");
        } catch (IOException e) {
            throw new RunnerException(2, "cannot read sources file " + file + ": " + e.getMessage());
        }
        try {
            return new SourcesFile(file, text, PullSources.parse(text, mapper));
        } catch (InvalidPullConfigException e) {
            throw new RunnerException(2, "sources file " + file + ": " + e.getMessage());
        }
    }

    /** The secret references the sources name ({@code secretsmanager:<name>}, {@code ssm:<name>}), each once. */
    public Set<String> secretReferences() {
        Set<String> references = new LinkedHashSet<>();
        for (PullSource source : sources.all()) {
            source.auth().secret().ifPresent(references::add);
        }
        return references;
    }

    public List<String> datasets() {
        return sources.all().stream().map(PullSource::dataset).distinct().toList();
    }
}
