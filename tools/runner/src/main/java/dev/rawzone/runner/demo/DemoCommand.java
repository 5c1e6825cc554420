package dev.rawzone.runner.demo;

import dev.rawzone.runner.RunnerException;
import dev.rawzone.runner.aws.EmulatorSession;
import dev.rawzone.runner.deploy.DeployedStack;
import dev.rawzone.runner.deploy.SamTranslator;
import dev.rawzone.runner.deploy.StackDeployer;
import dev.rawzone.runner.invoke.FunctionInvoker;
import dev.rawzone.runner.invoke.RunnerLocation;
import dev.rawzone.testkit.Emulator;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code ingest demo}: the first thing to run, with no AWS account. Emulator, the template deployed on it, then each
 * {@link DemoStep} in turn, then a table of counts and the keys the raw bucket holds.
 */
public final class DemoCommand {
    public static final String RAW_BUCKET = "RawBucket";
    static final List<String> RAW_PREFIXES = List.of("raw/", "quarantine/", "manifests/");
    private static final int KEYS_SHOWN = 40;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;
    private final Supplier<Emulator> emulators;
    private final RunnerLocation location;

    public DemoCommand(PrintStream out, PrintStream err, Map<String, String> environment, Supplier<Emulator> emulators,
                       RunnerLocation location) {
        this.out = out;
        this.err = err;
        this.environment = environment;
        this.emulators = emulators;
        this.location = location;
    }

    /** The demo's parts, in order. Later sources add theirs here (a Kinesis step, an HTTP pull step). */
    public static List<DemoStep> steps() {
        return List.of(new S3PushStep(), new KinesisStreamStep(), new PullStep(), new ReplayStep());
    }

    public int run(Path template, Map<String, String> parameterOverrides) {
        Path logFile = template.toAbsolutePath().getParent().resolve(".local/demo/functions.log");
        try (EmulatorSession session = EmulatorSession.open(environment, emulators);
             PrintStream functionLog = openLog(logFile)) {
            out.println("rawzone demo: no AWS account, everything runs against a local " + session.describe());
            out.println("function logs: " + logFile);
            DeployedStack stack = new StackDeployer(session.clients(), new SamTranslator(environment), out)
                    .deployedOrDeploy(template, parameterOverrides);
            List<DemoStep> runnable = new ArrayList<>();
            for (DemoStep step : steps()) {
                List<String> missing = step.requires().stream().filter(id -> !stack.has(id)).toList();
                if (missing.isEmpty()) {
                    runnable.add(step);
                } else {
                    err.println("skipping \"" + step.title() + "\": the stack has no " + String.join(", ", missing));
                }
            }
            if (runnable.isEmpty()) {
                throw new RunnerException(2, "the stack from " + template + " has nothing the demo can run");
            }
            out.println();
            out.println("Resources of stack " + stack.name() + " (from " + template.getFileName() + "):");
            int typeWidth = stack.resources().stream().mapToInt(r -> r.type().length()).max().orElse(0);
            int idWidth = stack.resources().stream().mapToInt(r -> r.logicalId().length()).max().orElse(0);
            for (DeployedStack.Resource resource : stack.resources()) {
                out.printf("  %-" + typeWidth + "s  %-" + idWidth + "s  %s%n", resource.type(), resource.logicalId(),
                        resource.physicalId());
            }
            DemoReport report = new DemoReport();
            DemoContext context = new DemoContext(template.toAbsolutePath().getParent(), stack, session.clients(),
                    new FunctionInvoker(location.harnessClasspath(), environment), out, functionLog, report);
            for (int i = 0; i < runnable.size(); i++) {
                out.println();
                out.printf("[%d/%d] %s%n", i + 1, runnable.size(), runnable.get(i).title());
                runnable.get(i).run(context);
            }
            out.println();
            out.println("Counts per object (in = written + quarantined + duplicates + failed):");
            report.print(out);
            if (stack.has(RAW_BUCKET)) {
                listRawZone(context, stack.name(RAW_BUCKET));
            }
            out.flush();
            if (report.failedInvocations() > 0) {
                err.println("error: " + report.failedInvocations() + " invocation(s) failed; see " + logFile);
                return 1;
            }
            return 0;
        }
    }

    private void listRawZone(DemoContext demo, String bucket) {
        for (String prefix : RAW_PREFIXES) {
            List<String> keys = new ArrayList<>();
            for (S3Object object : demo.aws().s3().listObjectsV2Paginator(l -> l.bucket(bucket).prefix(prefix)).contents()) {
                keys.add(object.key());
            }
            out.println();
            out.printf("s3://%s/%s  (%d key%s)%n", bucket, prefix, keys.size(), keys.size() == 1 ? "" : "s");
            keys.stream().limit(KEYS_SHOWN).forEach(key -> out.println("  " + key));
            if (keys.size() > KEYS_SHOWN) {
                out.println("  ... and " + (keys.size() - KEYS_SHOWN) + " more");
            }
        }
    }

    private static PrintStream openLog(Path file) {
        try {
            Files.createDirectories(file.getParent());
            return new PrintStream(new FileOutputStream(file.toFile()), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
