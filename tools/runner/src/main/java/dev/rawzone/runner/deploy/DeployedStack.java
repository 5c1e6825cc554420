package dev.rawzone.runner.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.runner.RunnerException;
import dev.rawzone.runner.invoke.FunctionSpec;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stack as CloudFormation made it: each resource's type and physical id (DescribeStackResources), the outputs,
 * the template it was created from, and each function's configuration as Lambda holds it. Only the function's code
 * is taken from this machine (the jar its {@code CodeUri} names, the one uploaded for it).
 */
public final class DeployedStack {
    public static final String LAMBDA_FUNCTION = "AWS::Lambda::Function";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One resource of the stack. */
    public record Resource(String logicalId, String type, String physicalId) {}

    private final String name;
    private final Map<String, Resource> resources;
    private final Map<String, String> outputs;
    private final JsonNode template;
    private final Map<String, Path> code;
    private final LambdaClient lambda;

    private DeployedStack(String name, Map<String, Resource> resources, Map<String, String> outputs, JsonNode template,
                          Map<String, Path> code, LambdaClient lambda) {
        this.name = name;
        this.resources = resources;
        this.outputs = outputs;
        this.template = template;
        this.code = code;
        this.lambda = lambda;
    }

    /** @param code each function's local code, by logical id */
    public static DeployedStack read(CloudFormationClient cloudFormation, LambdaClient lambda, String stackName,
                                     Map<String, Path> code) {
        Map<String, Resource> resources = new LinkedHashMap<>();
        for (StackResource resource : cloudFormation.describeStackResources(d -> d.stackName(stackName)).stackResources()) {
            // moto lists the resources its CloudFormation skipped with no id at all
            if (resource.logicalResourceId() != null && resource.physicalResourceId() != null) {
                resources.put(resource.logicalResourceId(), new Resource(resource.logicalResourceId(),
                        resource.resourceType(), resource.physicalResourceId()));
            }
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Output output : cloudFormation.describeStacks(d -> d.stackName(stackName)).stacks().get(0).outputs()) {
            outputs.put(output.outputKey(), output.outputValue());
        }
        JsonNode template;
        try {
            template = JSON.readTree(cloudFormation.getTemplate(g -> g.stackName(stackName)).templateBody());
        } catch (IOException e) {
            throw new UncheckedIOException("the template of stack " + stackName + " is not JSON", e);
        }
        return new DeployedStack(stackName, Collections.unmodifiableMap(resources), Collections.unmodifiableMap(outputs), template,
                Map.copyOf(code), lambda);
    }

    public String name() {
        return name;
    }

    public List<Resource> resources() {
        return List.copyOf(resources.values());
    }

    public boolean has(String logicalId) {
        return resources.containsKey(logicalId);
    }

    public Optional<Resource> resource(String logicalId) {
        return Optional.ofNullable(resources.get(logicalId));
    }

    /** What CloudFormation's Ref returns for the resource: a bucket's or table's name, a queue's URL... */
    public String physicalId(String logicalId) {
        Resource resource = resources.get(logicalId);
        if (resource == null) {
            throw new RunnerException(1, "stack " + name + " has no resource " + logicalId);
        }
        return resource.physicalId();
    }

    /** The resource's name: its physical id, or for a queue the last part of its URL. */
    public String name(String logicalId) {
        String id = physicalId(logicalId);
        return resources.get(logicalId).type().equals("AWS::SQS::Queue") ? id.substring(id.lastIndexOf('/') + 1) : id;
    }

    public Map<String, String> outputs() {
        return outputs;
    }

    /** The template the stack was created from (the SAM translator's output, as the emulator received it). */
    public JsonNode template() {
        return template;
    }

    public List<String> functionIds() {
        return resources.values().stream().filter(r -> r.type().equals(LAMBDA_FUNCTION)).map(Resource::logicalId)
                .toList();
    }

    /** The deployed function: Lambda's GetFunctionConfiguration, with its local code. */
    public FunctionSpec function(String logicalId) {
        Resource resource = resources.get(logicalId);
        if (resource == null || !resource.type().equals(LAMBDA_FUNCTION)) {
            throw new UnknownFunctionException(logicalId, functionIds());
        }
        Path codeUri = code.get(logicalId);
        if (codeUri == null) {
            throw new RunnerException(1, logicalId + " has no local CodeUri to run");
        }
        GetFunctionConfigurationResponse configuration =
                lambda.getFunctionConfiguration(g -> g.functionName(resource.physicalId()));
        Map<String, String> environment = configuration.environment() == null
                ? Map.of() : new LinkedHashMap<>(configuration.environment().variables());
        return new FunctionSpec(logicalId, configuration.functionName(), configuration.handler(), codeUri,
                configuration.runtimeAsString(), configuration.timeout(), configuration.memorySize(),
                Collections.unmodifiableMap(environment));
    }
}
