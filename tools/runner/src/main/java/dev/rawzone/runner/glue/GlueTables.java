package dev.rawzone.runner.glue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaException;
import dev.rawzone.runner.pull.DirectorySchemaSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The Glue tables of the datasets whose schemas are in some folders ({@code <dataset>/v<N>.json}, as the functions
 * bundle them): each folder's schemas are loaded as a function's catalogue loads them (so a refused schema is an
 * error here too), and a dataset in several folders takes its newest version; two folders with the same newest
 * version must agree on it.
 */
public final class GlueTables {
    private GlueTables() {
    }

    /** The schema folders of the repository's functions: {@code functions/<name>/src/main/resources/schemas}. */
    public static List<Path> repositorySchemas(Path root) {
        Path functions = root.resolve("functions");
        try (Stream<Path> modules = Files.list(functions)) {
            return modules.map(module -> module.resolve("src/main/resources/schemas")).filter(Files::isDirectory)
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + functions, e);
        }
    }

    /** One table per dataset, by dataset name. */
    public static List<GlueTable> from(List<Path> schemaFolders) {
        Map<String, Newest> newest = new TreeMap<>();
        for (Path folder : schemaFolders) {
            SchemaCatalogue catalogue = new SchemaCatalogue(new DirectorySchemaSource(folder));
            for (String dataset : datasets(folder)) {
                Newest candidate = newest(catalogue, folder, dataset);
                newest.merge(dataset, candidate, Newest::newer);
            }
        }
        return newest.entrySet().stream()
                .map(e -> GlueTable.of(e.getKey(), e.getValue().version(), e.getValue().schema())).toList();
    }

    private record Newest(String dataset, Path folder, int version, JsonNode schema) {
        Newest newer(Newest other) {
            if (other.version != version) {
                return other.version > version ? other : this;
            }
            if (!other.schema.equals(schema)) {
                throw new GlueTableException(dataset + " v" + version + " differs between " + folder + " and " + other.folder
                        + ": the functions would validate one dataset against two schemas");
            }
            return this;
        }
    }

    private static Newest newest(SchemaCatalogue catalogue, Path folder, String dataset) {
        try {
            int version = catalogue.currentVersion(dataset);
            return new Newest(dataset, folder, version, catalogue.schema(dataset, version).document());
        } catch (SchemaException e) {
            throw new GlueTableException(folder + ": " + e.getMessage());
        }
    }

    private static List<String> datasets(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }
}
