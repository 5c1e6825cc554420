package dev.rawzone.runner.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.runner.RunnerException;
import dev.rawzone.runner.aws.AwsClients;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code sam deploy} against the emulator: the template transformed by the SAM translator, the function code
 * uploaded as {@code sam package} would, then the stack {@value #STACK} created or updated on the emulator's
 * CloudFormation and waited for. A failed stack is reported with each failed resource and its reason.
 */
public final class StackDeployer {
    public static final String STACK = "rawzone-local";
    private static final List<Capability> CAPABILITIES =
            List.of(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM, Capability.CAPABILITY_AUTO_EXPAND);
    private static final Duration WAIT = Duration.ofMinutes(5);

    private final AwsClients aws;
    private final SamTranslator translator;
    private final PrintStream log;

    public StackDeployer(AwsClients aws, SamTranslator translator, PrintStream log) {
        this.aws = aws;
        this.translator = translator;
        this.log = log;
    }

    /**
     * The stack as it is on the emulator when it was deployed and settled and no parameter is given; otherwise
     * deployed now.
     */
    public DeployedStack deployedOrDeploy(Path template, Map<String, String> parameterOverrides) {
        Optional<Stack> existing = existing();
        if (parameterOverrides.isEmpty() && existing.isPresent() && settled(existing.get().stackStatusAsString())) {
            log.println("stack " + STACK + ": " + existing.get().stackStatusAsString() + " on the emulator, reused ("
                    + "./ingest deploy updates it)");
            return DeployedStack.read(aws.cloudFormation(), aws.lambda(), STACK, localCode(template));
        }
        return deploy(template, parameterOverrides);
    }

    public DeployedStack deploy(Path template, Map<String, String> parameterOverrides) {
        Instant start = Instant.now();
        Path directory = template.toAbsolutePath().getParent();
        Map<String, List<String>> codeUris = translator.codeUris(template);
        Map<String, String> uploaded = new Artifacts(aws.s3()).upload(directory, codeUris.keySet());
        ObjectNode transformed = translator.transform(template, uploaded, parameterOverrides, aws.endpoint());
        String body = EmulatorGaps.withoutAliases(transformed).toString();
        List<Parameter> parameters = parameterOverrides.entrySet().stream()
                .map(p -> Parameter.builder().parameterKey(p.getKey()).parameterValue(p.getValue()).build()).toList();
        CloudFormationClient cloudFormation = aws.cloudFormation();
        Optional<Stack> existing = existing();
        if (existing.isPresent() && !settled(existing.get().stackStatusAsString())) {
            log.println("stack " + STACK + " is " + existing.get().stackStatusAsString() + ": deleting it first");
            cloudFormation.deleteStack(d -> d.stackName(STACK));
            existing = Optional.empty();
        }
        Instant requested = Instant.now();
        if (existing.isEmpty()) {
            cloudFormation.createStack(c -> c.stackName(STACK).templateBody(body).parameters(parameters)
                    .capabilities(CAPABILITIES));
        } else {
            try {
                cloudFormation.updateStack(u -> u.stackName(STACK).templateBody(body).parameters(parameters)
                        .capabilities(CAPABILITIES));
            } catch (CloudFormationException e) {
                if (!String.valueOf(e.getMessage()).contains("No updates are to be performed")) {
                    throw e;
                }
            }
        }
        Stack stack = await(requested);
        DeployedStack deployed = DeployedStack.read(cloudFormation, aws.lambda(), STACK, localCode(template, codeUris));
        EmulatorGaps.complete(deployed, aws);
        log.printf("stack %s: %s in %.1f s, %d resources%s%n", STACK, stack.stackStatusAsString(),
                Duration.between(start, Instant.now()).toMillis() / 1000.0, deployed.resources().size(),
                skipped(transformed));
        return deployed;
    }

    private Optional<Stack> existing() {
        try {
            return aws.cloudFormation().describeStacks(d -> d.stackName(STACK)).stacks().stream().findFirst();
        } catch (CloudFormationException e) {
            if (e.statusCode() == 400 && String.valueOf(e.getMessage()).contains("does not exist")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static boolean settled(String status) {
        return status.equals("CREATE_COMPLETE") || status.equals("UPDATE_COMPLETE");
    }

    private Stack await(Instant since) {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            Stack stack = existing().orElseThrow(() -> new RunnerException(1, "stack " + STACK + " disappeared"));
            String status = stack.stackStatusAsString();
            if (settled(status)) {
                return stack;
            }
            if (!status.endsWith("_IN_PROGRESS")) {
                throw new RunnerException(1, "stack " + STACK + " is " + status + failures(since));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new RunnerException(1, "stack " + STACK + " is still " + status + " after " + WAIT.toMinutes()
                        + " minutes");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunnerException(1, "interrupted while waiting for stack " + STACK);
            }
        }
    }

    private String failures(Instant since) {
        List<String> failed = new ArrayList<>();
        for (StackEvent event : aws.cloudFormation().describeStackEventsPaginator(d -> d.stackName(STACK)).stackEvents()) {
            if (event.timestamp() != null && event.timestamp().isBefore(since.minusSeconds(1))) {
                continue;
            }
            if (event.resourceStatusAsString() != null && event.resourceStatusAsString().endsWith("_FAILED")) {
                failed.add(event.logicalResourceId() + " (" + event.resourceType() + "): " + event.resourceStatusReason());
            }
        }
        return failed.isEmpty() ? "" : "; failed: " + String.join("; ", failed);
    }

    private Map<String, Path> localCode(Path template) {
        return localCode(template, translator.codeUris(template));
    }

    private static Map<String, Path> localCode(Path template, Map<String, List<String>> codeUris) {
        Path directory = template.toAbsolutePath().getParent();
        Map<String, Path> code = new LinkedHashMap<>();
        codeUris.forEach((codeUri, functions) -> functions.forEach(id -> code.put(id, directory.resolve(codeUri).normalize())));
        return code;
    }

    /** Says which of the template's resources the emulator does not create (they exist on AWS only). */
    private static String skipped(ObjectNode transformed) {
        Map<String, Integer> counts = new TreeMap<>();
        transformed.path("Resources").forEach(resource -> {
            String type = resource.path("Type").asText();
            if (EmulatorGaps.SKIPPED_BY_EMULATOR.contains(type)) {
                counts.merge(type, 1, Integer::sum);
            }
        });
        if (counts.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((type, n) -> parts.add(type + (n > 1 ? " x" + n : "")));
        return "; the emulator's CloudFormation does not create " + String.join(", ", parts);
    }
}
