package dev.rawzone.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.runner.pull.PullCheck;
import dev.rawzone.runner.pull.SchemaDirectory;
import dev.rawzone.runner.pull.SecretValues;
import dev.rawzone.runner.pull.SourcesFile;

import java.nio.file.Path;

/** {@code ingest pull check <sources file> --schemas <dir> [--secret <name>=<VARIABLE>]...}. */
final class PullCheckCommand {
    private final Main main;

    PullCheckCommand(Main main) {
        this.main = main;
    }

    int run(Cli cli) {
        if (cli.positional().size() != 2 || !cli.positional().get(0).equals("check")) {
            throw RunnerException.usage("pull takes: check <sources file> --schemas <dir>");
        }
        ObjectMapper mapper = new ObjectMapper();
        SourcesFile sources = SourcesFile.read(Path.of(cli.positional().get(1)), mapper);
        Path schemasDir = cli.path("schemas").orElseThrow(() -> RunnerException.usage("pull check needs --schemas "
                + "<dir>, the <dataset>/v<N>.json schemas the records are validated with"));
        SchemaDirectory schemas = SchemaDirectory.open(schemasDir);
        schemas.require(sources.datasets());
        SecretValues secrets = SecretValues.of(sources.secretReferences(), cli.secretVariables(), main.environment());
        boolean ok = new PullCheck(mapper, secrets, schemas.catalogue()).run(sources, main.out());
        return ok ? 0 : 1;
    }
}
