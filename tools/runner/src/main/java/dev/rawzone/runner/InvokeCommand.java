package dev.rawzone.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.runner.aws.EmulatorSession;
import dev.rawzone.runner.aws.ObjectSeeder;
import dev.rawzone.runner.aws.ResourceProvisioner;
import dev.rawzone.runner.demo.LocalPullApi;
import dev.rawzone.runner.invoke.Counts;
import dev.rawzone.runner.invoke.FunctionInvoker;
import dev.rawzone.runner.invoke.Invocation;
import dev.rawzone.runner.pull.PullConfigInstaller;
import dev.rawzone.runner.pull.SchemaDirectory;
import dev.rawzone.runner.pull.SecretValues;
import dev.rawzone.runner.pull.SourcesFile;
import dev.rawzone.runner.template.FunctionSpec;
import dev.rawzone.runner.template.Intrinsics;
import dev.rawzone.runner.template.ResourceNames;
import dev.rawzone.runner.template.Template;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ingest invoke <LogicalId> --event <file> [--dry-run]}; for the pull function, {@code --sources},
 * {@code --schemas} and {@code --secret} run it on the user's own configuration instead of the sample API's.
 */
final class InvokeCommand {
    static final String LANDING_BUCKET = "LandingBucket";
    static final String RAW_BUCKET = "RawBucket";
    static final String SCHEMA_LOCATION = "SchemaLocation";
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Main main;

    InvokeCommand(Main main) {
        this.main = main;
    }

    int run(Cli cli) {
        if (cli.positional().size() != 1) {
            throw RunnerException.usage("invoke takes one function logical id, then --event <file>");
        }
        String logicalId = cli.positional().get(0);
        Path eventFile = cli.path("event").orElseThrow(() -> RunnerException.usage("invoke needs --event <file>"));
        Template template = main.template(cli);
        FunctionSpec function = template.function(logicalId, template.intrinsics(null)); // unknown id: exit 2
        byte[] event = readEvent(eventFile);
        OwnInputs own = ownInputs(cli, template, logicalId);
        if (!Files.exists(function.codeUri())) {
            throw new RunnerException(1, "the code of " + logicalId + " is not built: " + function.codeUri()
                    + " does not exist (run mvn -DskipTests package, or use ./ingest)");
        }
        if (cli.dryRun()) {
            FunctionInvoker invoker = new FunctionInvoker(main.location().harnessClasspath(), main.environment());
            Invocation plan = invoker.invoke(function, event, null, true, main.err());
            main.out().print(plan.responseText());
            main.out().flush();
            return exitCode(plan);
        }
        return inSession(cli, template, logicalId, event, own, main.err(), (invocation, session, names) -> {
            printResponse(invocation);
            return 0;
        });
    }

    /** What to do with a successful invocation while the emulator session is still open. */
    @FunctionalInterface
    interface Outcome {
        int report(Invocation invocation, EmulatorSession session, ResourceNames names);
    }

    /**
     * {@code logicalId} on {@code event}, with the template's resources created in the emulator first.
     *
     * @param log where the function's log goes
     */
    int invoke(Cli cli, String logicalId, byte[] event, PrintStream log, Outcome outcome) {
        Template template = main.template(cli);
        FunctionSpec function = template.function(logicalId, template.intrinsics(null)); // unknown id: exit 2
        if (!Files.exists(function.codeUri())) {
            throw new RunnerException(1, "the code of " + logicalId + " is not built: " + function.codeUri()
                    + " does not exist (run mvn -DskipTests package, or use ./ingest)");
        }
        return inSession(cli, template, logicalId, event, ownInputs(cli, template, logicalId), log, outcome);
    }

    private int inSession(Cli cli, Template template, String logicalId, byte[] event, OwnInputs own, PrintStream log,
                          Outcome outcome) {
        FunctionInvoker invoker = new FunctionInvoker(main.location().harnessClasspath(), main.environment());
        try (EmulatorSession session = EmulatorSession.open(main.environment(), main.emulators())) {
            main.err().println(session.describe());
            Intrinsics intrinsics = template.intrinsics(session.endpoint());
            List<ResourceProvisioner.Provisioned> resources =
                    new ResourceProvisioner(template, intrinsics, session.clients()).provision();
            long created = resources.stream().filter(ResourceProvisioner.Provisioned::created).count();
            main.err().println("resources: " + resources.size() + " in the template, " + created + " created");
            if (template.resource(LANDING_BUCKET).isPresent()) {
                String bucket = intrinsics.names().name(LANDING_BUCKET);
                int uploaded = new ObjectSeeder(session.clients()).seed(template.directory().resolve("events/objects"), bucket);
                if (uploaded > 0) {
                    main.err().println("events/objects: " + uploaded + " object(s) uploaded to s3://" + bucket + "/");
                }
            }
            Template effective = template;
            if (own.schemas().isPresent()) {
                effective = withSchemas(cli, template, own.schemas().get(), session, intrinsics.names().name(RAW_BUCKET));
                intrinsics = effective.intrinsics(session.endpoint());
            }
            FunctionSpec resolved = effective.function(logicalId, intrinsics);
            if (own.sources().isPresent()) {
                PullConfigInstaller.install(session.endpoint(), intrinsics.names().name(LocalPullApi.SOURCES),
                        own.sources().get(), own.secrets().orElseThrow(), main.err());
            }
            boolean sampleApi = own.sources().isEmpty() && LocalPullApi.applies(template, logicalId);
            try (LocalPullApi pull = sampleApi ? LocalPullApi.start(template, cli.parameterOverrides(),
                    session.endpoint(), main.environment(), 250, main.err()) : null) {
                Invocation invocation = invoker.invoke(resolved, event, session.endpoint(), false, log);
                log.flush();
                if (!invocation.succeeded()) {
                    main.out().print(invocation.responseText());
                    return exitCode(invocation);
                }
                return outcome.report(invocation, session, intrinsics.names());
            }
        }
    }

    /** What the user gave instead of the samples: a sources file with its secrets' values, a schema directory. */
    private record OwnInputs(Optional<SourcesFile> sources, Optional<SecretValues> secrets,
                             Optional<SchemaDirectory> schemas) {
    }

    /** Reads and checks {@code --sources}, {@code --secret} and {@code --schemas} before anything is started. */
    private OwnInputs ownInputs(Cli cli, Template template, String logicalId) {
        Optional<SourcesFile> sources = cli.path("sources").map(file -> SourcesFile.read(file, JSON));
        if (sources.isPresent() && !LocalPullApi.applies(template, logicalId)) {
            throw RunnerException.usage("--sources is for " + LocalPullApi.FUNCTION + " (with the template's "
                    + LocalPullApi.SOURCES + " and " + LocalPullApi.SECRET + ")");
        }
        if (sources.isEmpty() && !cli.secretVariables().isEmpty()) {
            throw RunnerException.usage("--secret names a secret of the --sources file; give --sources too");
        }
        Optional<SecretValues> secrets = sources.map(file -> SecretValues.of(file.secretReferences(),
                cli.secretVariables(), main.environment()));
        Optional<SchemaDirectory> schemas = cli.path("schemas").map(SchemaDirectory::open);
        if (schemas.isPresent() && !(template.hasParameter(SCHEMA_LOCATION) && template.resource(RAW_BUCKET).isPresent())) {
            throw new RunnerException(2, "--schemas needs a template with the " + SCHEMA_LOCATION + " parameter and "
                    + RAW_BUCKET);
        }
        schemas.ifPresent(directory -> directory.require(sources.map(SourcesFile::datasets).orElse(List.of())));
        return new OwnInputs(sources, secrets, schemas);
    }

    /** Uploads the schemas to the raw bucket; the template again, with {@code SchemaLocation} pointed at them. */
    private Template withSchemas(Cli cli, Template template, SchemaDirectory schemas, EmulatorSession session,
                                 String rawBucket) {
        String location = schemas.upload(session.clients().s3(), rawBucket);
        main.err().println("schemas: " + schemas.size() + " file(s) from " + cli.path("schemas").orElseThrow() + " at "
                + location + " (" + SCHEMA_LOCATION + ")");
        Map<String, String> overrides = new LinkedHashMap<>(cli.parameterOverrides());
        overrides.put(SCHEMA_LOCATION, location);
        return Template.load(template.file(), overrides);
    }

    private byte[] readEvent(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new RunnerException(2, "event file " + file + " does not exist");
        } catch (IOException e) {
            throw new RunnerException(2, "cannot read event file " + file + ": " + e.getMessage());
        }
        try {
            JsonNode tree = JSON.readTree(bytes);
            if (tree == null || tree.isMissingNode()) {
                throw new RunnerException(2, "event file " + file + " is empty");
            }
        } catch (JsonProcessingException e) {
            throw new RunnerException(2, "event file " + file + " is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new RunnerException(2, "cannot read event file " + file + ": " + e.getMessage());
        }
        return bytes;
    }

    private void printResponse(Invocation invocation) {
        JsonNode response = null;
        try {
            response = JSON.readTree(invocation.response());
        } catch (IOException notJson) {
            // printed as it came
        }
        if (response != null && response.isContainerNode()) {
            try {
                main.out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(response));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            String text = invocation.responseText();
            main.out().print(text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
        }
        main.out().println(Counts.of(response, invocation.loggedCounts()).toString());
        main.out().flush();
    }

    /** The harness's own codes pass through; anything else (a crash, a kill) is a failure. */
    private int exitCode(Invocation invocation) {
        int code = invocation.exitCode();
        if (code == 0 || code == 1 || code == 2) {
            return code;
        }
        main.err().println("error: the function JVM ended with exit code " + code);
        return 1;
    }
}
