package dev.rawzone.runner;

import dev.rawzone.runner.aws.EmulatorSession;
import dev.rawzone.runner.deploy.DeployedStack;
import dev.rawzone.runner.deploy.SamTranslator;
import dev.rawzone.runner.deploy.StackDeployer;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@code ingest deploy [--parameter-overrides K=V,...]}: template.yaml through the SAM translator, the function jars
 * uploaded, the stack created or updated on the emulator; prints the stack's outputs.
 */
final class DeployCommand {
    private final Main main;

    DeployCommand(Main main) {
        this.main = main;
    }

    int run(Cli cli) {
        if (!cli.positional().isEmpty()) {
            throw RunnerException.usage("deploy takes no arguments, only --parameter-overrides and --template");
        }
        Path template = main.templateFile(cli);
        try (EmulatorSession session = EmulatorSession.open(main.environment(), main.emulators())) {
            main.err().println(session.describe());
            DeployedStack stack = new StackDeployer(session.clients(), new SamTranslator(main.environment()), main.err())
                    .deploy(template, cli.parameterOverrides());
            int width = stack.outputs().keySet().stream().mapToInt(String::length).max().orElse(0);
            for (Map.Entry<String, String> output : stack.outputs().entrySet()) {
                main.out().printf("%-" + width + "s  %s%n", output.getKey(), output.getValue());
            }
            main.out().flush();
            return 0;
        }
    }
}
