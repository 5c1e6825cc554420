package dev.rawzone.runner.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.runner.aws.AwsClients;
import dev.rawzone.runner.invoke.FunctionInvoker;
import dev.rawzone.runner.invoke.Invocation;
import dev.rawzone.runner.template.FunctionSpec;
import dev.rawzone.runner.template.Intrinsics;
import dev.rawzone.runner.template.Template;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** What a {@link DemoStep} works with: the template, the emulator, the invoker, the output and the report. */
public final class DemoContext {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Template template;
    private final Intrinsics intrinsics;
    private final AwsClients aws;
    private final FunctionInvoker invoker;
    private final PrintStream out;
    private final PrintStream functionLog;
    private final DemoReport report;

    DemoContext(Template template, Intrinsics intrinsics, AwsClients aws, FunctionInvoker invoker, PrintStream out,
                PrintStream functionLog, DemoReport report) {
        this.template = template;
        this.intrinsics = intrinsics;
        this.aws = aws;
        this.invoker = invoker;
        this.out = out;
        this.functionLog = functionLog;
        this.report = report;
    }

    public Template template() {
        return template;
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

    /** The physical name of a template resource, e.g. the landing bucket's name. */
    public String name(String logicalId) {
        return intrinsics.names().name(logicalId);
    }

    /** Invokes a template function on an event in a child JVM; its logs go to the demo's log file. */
    public Invocation invoke(String functionId, JsonNode event) {
        return invoke(functionId, event, java.util.Map.of());
    }

    /** The function's physical name. */
    public String functionName(String functionId) {
        return template.function(functionId, intrinsics).functionName();
    }

    /** Invokes a template function with some of its environment variables replaced (e.g. SCHEMA_LOCATION). */
    public Invocation invoke(String functionId, JsonNode event, java.util.Map<String, String> environment) {
        FunctionSpec declared = template.function(functionId, intrinsics);
        java.util.Map<String, String> variables = new java.util.LinkedHashMap<>(declared.environment());
        variables.putAll(environment);
        FunctionSpec function = new FunctionSpec(declared.logicalId(), declared.functionName(), declared.handler(),
                declared.codeUri(), declared.runtime(), declared.timeoutSeconds(), declared.memoryMb(), variables);
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
        } catch (java.io.IOException notJson) {
            return null;
        }
    }
}
