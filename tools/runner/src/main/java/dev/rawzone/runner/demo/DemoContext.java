package dev.rawzone.runner.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.runner.aws.AwsClients;
import dev.rawzone.runner.deploy.DeployedStack;
import dev.rawzone.runner.invoke.FunctionInvoker;
import dev.rawzone.runner.invoke.FunctionSpec;
import dev.rawzone.runner.invoke.Invocation;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** What a {@link DemoStep} works with: the deployed stack, the emulator, the invoker, the output and the report. */
public final class DemoContext {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final DeployedStack stack;
    private final AwsClients aws;
    private final FunctionInvoker invoker;
    private final PrintStream out;
    private final PrintStream functionLog;
    private final DemoReport report;

    DemoContext(Path directory, DeployedStack stack, AwsClients aws, FunctionInvoker invoker, PrintStream out,
                PrintStream functionLog, DemoReport report) {
        this.directory = directory;
        this.stack = stack;
        this.aws = aws;
        this.invoker = invoker;
        this.out = out;
        this.functionLog = functionLog;
        this.report = report;
    }

    /** The folder of the template: the repository the sample data and schemas are read from. */
    public Path directory() {
        return directory;
    }

    public DeployedStack stack() {
        return stack;
    }

    public AwsClients aws() {
        return aws;
    }

    public URI endpoint() {
        return aws.endpoint();
    }

    public PrintStream out() {
        return out;
    }

    public DemoReport report() {
        return report;
    }

    /** The physical name of a stack resource, e.g. the landing bucket's name. */
    public String name(String logicalId) {
        return stack.name(logicalId);
    }

    /** Invokes a deployed function on an event in a child JVM; its logs go to the demo's log file. */
    public Invocation invoke(String functionId, JsonNode event) {
        return invoke(functionId, event, Map.of());
    }

    /** The function's physical name. */
    public String functionName(String functionId) {
        return stack.physicalId(functionId);
    }

    /** Invokes a deployed function with some of its environment variables replaced (e.g. SCHEMA_LOCATION). */
    public Invocation invoke(String functionId, JsonNode event, Map<String, String> environment) {
        FunctionSpec function = stack.function(functionId).withEnvironment(environment);
        Invocation invocation = invoker.invoke(function, event.toString().getBytes(StandardCharsets.UTF_8),
                aws.endpoint(), false, functionLog);
        if (!invocation.succeeded()) {
            report.invocationFailed();
        }
        return invocation;
    }

    /** The response as JSON, or null when it is not JSON. */
    public static JsonNode json(Invocation invocation) {
        try {
            return JSON.readTree(invocation.response());
        } catch (IOException notJson) {
            return null;
        }
    }
}
