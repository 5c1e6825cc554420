package dev.rawzone.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.runner.aws.EmulatorSession;
import dev.rawzone.runner.aws.ObjectSeeder;
import dev.rawzone.runner.demo.LocalPullApi;
import dev.rawzone.runner.deploy.DeployedStack;
import dev.rawzone.runner.deploy.SamTranslator;
import dev.rawzone.runner.deploy.StackDeployer;
import dev.rawzone.runner.invoke.Counts;
import dev.rawzone.runner.invoke.FunctionInvoker;
import dev.rawzone.runner.invoke.FunctionSpec;
import dev.rawzone.runner.invoke.Invocation;
import dev.rawzone.runner.pull.PullConfigInstaller;
import dev.rawzone.runner.pull.SchemaDirectory;
import dev.rawzone.runner.pull.SecretValues;
import dev.rawzone.runner.pull.SourcesFile;

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
 * {@code ingest invoke <LogicalId> --event <file> [--dry-run]}: the function as the template deployed on the
 * emulator made it (reusing a deployment there), run in a child JVM; for the pull function, {@code --sources},
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
        Path template = main.templateFile(cli);
        requireFunction(template, logicalId);
        byte[] event = readEvent(eventFile);
        OwnInputs own = ownInputs(cli, logicalId);
        if (cli.dryRun()) {
            return dryRun(cli, template, logicalId, event);
        }
        return inSession(cli, template, logicalId, event, own, main.err(), (invocation, session, stack) -> {
            printResponse(invocation);
            return 0;
        });
    }

    /** What to do with a successful invocation while the emulator session is still open. */
    @FunctionalInterface
    interface Outcome {
        int report(Invocation invocation, EmulatorSession session, DeployedStack stack);
    }

    /**
     * {@code logicalId} on {@code event}, as the template deployed on the emulator defines it.
     *
     * @param log where the function's log goes
     */
    int invoke(Cli cli, String logicalId, byte[] event, PrintStream log, Outcome outcome) {
        Path template = main.templateFile(cli);
        requireFunction(template, logicalId);
        return inSession(cli, template, logicalId, event, ownInputs(cli, logicalId), log, outcome);
    }

    /** An unknown logical id is the user's mistake (exit 2), told before anything is started. */
    private void requireFunction(Path template, String logicalId) {
        List<String> functions = new SamTranslator(main.environment()).codeUris(template).values().stream()
                .flatMap(List::stream).toList();
        if (!functions.contains(logicalId)) {
            throw new RunnerException(2, "no function " + logicalId + " in the template; known functions: "
                    + (functions.isEmpty() ? "(none)" : String.join(", ", functions)));
        }
    }

    /**
     * The handler's plan for the event. The function is read from a deployment on an emulator of its own (never the
     * one {@code AWS_ENDPOINT_URL} names), and its SDK points at a closed port: nothing of the user's is touched.
     */
    private int dryRun(Cli cli, Path template, String logicalId, byte[] event) {
        FunctionInvoker invoker = new FunctionInvoker(main.location().harnessClasspath(), main.environment());
        try (EmulatorSession session = EmulatorSession.open(Map.of(), main.emulators())) {
            DeployedStack stack = deployer(session).deploy(template, cli.parameterOverrides());
            Invocation plan = invoker.invoke(stack.function(logicalId), event, null, true, main.err());
            main.out().print(plan.responseText());
            main.out().flush();
            return exitCode(plan);
        }
    }

    private StackDeployer deployer(EmulatorSession session) {
        return new StackDeployer(session.clients(), new SamTranslator(main.environment()), main.err());
    }

    private int inSession(Cli cli, Path template, String logicalId, byte[] event, OwnInputs own, PrintStream log,
                          Outcome outcome) {
        FunctionInvoker invoker = new FunctionInvoker(main.location().harnessClasspath(), main.environment());
        try (EmulatorSession session = EmulatorSession.open(main.environment(), main.emulators())) {
            main.err().println(session.describe());
            StackDeployer deployer = deployer(session);
            DeployedStack stack = deployer.deployedOrDeploy(template, cli.parameterOverrides());
            if (stack.has(LANDING_BUCKET)) {
                String bucket = stack.name(LANDING_BUCKET);
                Path objects = template.toAbsolutePath().getParent().resolve("events/objects");
                int uploaded = new ObjectSeeder(session.clients()).seed(objects, bucket);
                if (uploaded > 0) {
                    main.err().println("events/objects: " + uploaded + " object(s) uploaded to s3://" + bucket + "/");
                }
            }
            if (own.schemas().isPresent()) {
                stack = withSchemas(cli, template, own.schemas().get(), session, stack, deployer);
            }
            FunctionSpec function = stack.function(logicalId);
            if (own.sources().isPresent()) {
                PullConfigInstaller.install(session.endpoint(), stack.physicalId(LocalPullApi.SOURCES),
                        own.sources().get(), own.secrets().orElseThrow(), main.err());
            }
            boolean sampleApi = own.sources().isEmpty() && LocalPullApi.applies(stack, logicalId);
            try (LocalPullApi pull = sampleApi ? LocalPullApi.start(stack, cli.parameterOverrides(),
                    session.endpoint(), main.environment(), 250, main.err()) : null) {
                Invocation invocation = invoker.invoke(function, event, session.endpoint(), false, log);
                log.flush();
                if (!invocation.succeeded()) {
                    main.out().print(invocation.responseText());
                    return exitCode(invocation);
                }
                return outcome.report(invocation, session, stack);
            }
        }
    }

    /** What the user gave instead of the samples: a sources file with its secrets' values, a schema directory. */
    private record OwnInputs(Optional<SourcesFile> sources, Optional<SecretValues> secrets,
                             Optional<SchemaDirectory> schemas) {
    }

    /** Reads and checks {@code --sources}, {@code --secret} and {@code --schemas} before anything is started. */
    private OwnInputs ownInputs(Cli cli, String logicalId) {
        Optional<SourcesFile> sources = cli.path("sources").map(file -> SourcesFile.read(file, JSON));
        if (sources.isPresent() && !logicalId.equals(LocalPullApi.FUNCTION)) {
            throw RunnerException.usage("--sources is for " + LocalPullApi.FUNCTION + " (with the stack's "
                    + LocalPullApi.SOURCES + ")");
        }
        if (sources.isEmpty() && !cli.secretVariables().isEmpty()) {
            throw RunnerException.usage("--secret names a secret of the --sources file; give --sources too");
        }
        Optional<SecretValues> secrets = sources.map(file -> SecretValues.of(file.secretReferences(),
                cli.secretVariables(), main.environment()));
        Optional<SchemaDirectory> schemas = cli.path("schemas").map(SchemaDirectory::open);
        schemas.ifPresent(directory -> directory.require(sources.map(SourcesFile::datasets).orElse(List.of())));
        return new OwnInputs(sources, secrets, schemas);
    }

    /** Uploads the schemas to the raw bucket, then deploys again with {@code SchemaLocation} pointed at them. */
    private DeployedStack withSchemas(Cli cli, Path template, SchemaDirectory schemas, EmulatorSession session,
                                      DeployedStack stack, StackDeployer deployer) {
        if (!stack.template().path("Parameters").has(SCHEMA_LOCATION) || !stack.has(RAW_BUCKET)) {
            throw new RunnerException(2, "--schemas needs a template with the " + SCHEMA_LOCATION + " parameter and "
                    + RAW_BUCKET);
        }
        String location = schemas.upload(session.clients().s3(), stack.name(RAW_BUCKET));
        main.err().println("schemas: " + schemas.size() + " file(s) from " + cli.path("schemas").orElseThrow() + " at "
                + location + " (" + SCHEMA_LOCATION + ")");
        Map<String, String> overrides = new LinkedHashMap<>(cli.parameterOverrides());
        overrides.put(SCHEMA_LOCATION, location);
        return deployer.deploy(template, overrides);
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
