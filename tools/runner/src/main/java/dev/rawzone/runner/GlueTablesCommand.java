package dev.rawzone.runner;

import dev.rawzone.runner.glue.GlueTableException;
import dev.rawzone.runner.glue.GlueTables;
import dev.rawzone.runner.glue.GlueTemplateBlock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code ingest glue-tables [--schemas <dir>]}: prints the template's Glue block from the datasets' schemas. */
final class GlueTablesCommand {
    private final Main main;

    GlueTablesCommand(Main main) {
        this.main = main;
    }

    int run(Cli cli) {
        if (!cli.positional().isEmpty()) {
            throw RunnerException.usage("glue-tables takes no arguments");
        }
        List<Path> folders = new ArrayList<>(GlueTables.repositorySchemas(main.templateFile(cli).getParent()));
        Path extra = cli.path("schemas").orElse(null);
        if (extra != null) {
            if (!Files.isDirectory(extra)) {
                throw new RunnerException(2, "schemas directory " + extra + " does not exist");
            }
            folders.add(extra);
        }
        try {
            main.out().print(GlueTemplateBlock.render(GlueTables.from(folders)));
        } catch (GlueTableException e) {
            throw new RunnerException(1, e.getMessage());
        }
        return 0;
    }
}
