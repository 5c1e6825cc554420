package dev.rawzone.runner;

import dev.rawzone.runner.demo.DemoCommand;
import dev.rawzone.runner.invoke.RunnerLocation;
import dev.rawzone.runner.deploy.UnknownFunctionException;
import dev.rawzone.testkit.Emulator;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/** {@code ./ingest}: the local runner. See {@link Cli#USAGE}. */
public final class Main {
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;
    private final Supplier<Emulator> emulators;
    private final RunnerLocation location;

    public Main(PrintStream out, PrintStream err, Map<String, String> environment, Supplier<Emulator> emulators,
                RunnerLocation location) {
        this.out = out;
        this.err = err;
        this.environment = Map.copyOf(environment);
        this.emulators = emulators;
        this.location = location;
    }

    public static void main(String[] args) {
        int code = new Main(System.out, System.err, System.getenv(), Emulator::start, RunnerLocation.current()).run(args);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    public int run(String... args) {
        try {
            if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
                out.print(Cli.USAGE);
                return 0;
            }
            Cli cli = Cli.parse(args);
            return switch (cli.command()) {
                case "deploy" -> new DeployCommand(this).run(cli);
                case "invoke" -> new InvokeCommand(this).run(cli);
                case "pull" -> new PullCheckCommand(this).run(cli);
                case "replay" -> new ReplayCommand(this).run(cli);
                case "glue-tables" -> new GlueTablesCommand(this).run(cli);
                case "demo" -> {
                    if (!cli.positional().isEmpty()) {
                        throw RunnerException.usage("demo takes no arguments");
                    }
                    yield new DemoCommand(out, err, environment, emulators, location).run(templateFile(cli),
                            cli.parameterOverrides());
                }
                default -> throw RunnerException.usage("unknown command " + cli.command());
            };
        } catch (RunnerException e) {
            err.println("error: " + e.getMessage());
            if (e.showUsage()) {
                err.print(Cli.USAGE);
            }
            return e.exitCode();
        } catch (UnknownFunctionException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("error: " + e.getClass().getName() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            return 1;
        }
    }

    Path templateFile(Cli cli) {
        Path file = cli.path("template").orElseGet(this::defaultTemplate);
        if (!Files.isRegularFile(file)) {
            throw new RunnerException(2, "template " + file + " does not exist");
        }
        return file.toAbsolutePath().normalize();
    }

    private Path defaultTemplate() {
        return location.template()
                .orElseThrow(() -> new RunnerException(2, "cannot find template.yaml; pass --template <file>"));
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    Map<String, String> environment() {
        return environment;
    }

    Supplier<Emulator> emulators() {
        return emulators;
    }

    RunnerLocation location() {
        return location;
    }
}
