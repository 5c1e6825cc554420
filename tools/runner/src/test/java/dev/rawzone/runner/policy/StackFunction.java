package dev.rawzone.runner.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One Lambda function of a transformed, decided template: its code, environment, role and what Lambda does with that role. */
record StackFunction(String id, String handlerClass, Path jar, Map<String, String> environment, String roleId,
                     List<Grant> grants, Map<String, String> platformActions) {

    /** One allowed action of a role, with the resources it names and the statement it comes from. */
    record Grant(String action, List<JsonNode> resources, String statement) {
    }

    static List<StackFunction> all(TransformedTemplate template, Path root) {
        List<StackFunction> functions = new ArrayList<>();
        template.resources().fields().forEachRemaining(entry -> {
            JsonNode resource = entry.getValue();
            if (resource.path("Type").asText().equals("AWS::Lambda::Function")) {
                functions.add(of(template, root, entry.getKey(), resource.path("Properties")));
            }
        });
        return functions;
    }

    private static StackFunction of(TransformedTemplate template, Path root, String id, JsonNode properties) {
        Map<String, String> environment = new LinkedHashMap<>();
        properties.at("/Environment/Variables").fields().forEachRemaining(variable -> environment.put(
                variable.getKey(), variable.getValue().isValueNode() ? variable.getValue().asText() : variable.getValue().toString()));
        String roleId = properties.at("/Role/Fn::GetAtt/0").asText();
        return new StackFunction(id, properties.path("Handler").asText().replaceAll("::.*$", ""),
                root.resolve(properties.at("/Code/S3Key").asText()), environment, roleId,
                roleGrants(template, roleId), platformActions(template, id));
    }

    /** Every Allow of a role: its inline policies and the managed policies of this template it attaches. */
    static List<Grant> roleGrants(TransformedTemplate template, String roleId) {
        JsonNode role = template.resource(roleId).path("Properties");
        List<Grant> grants = new ArrayList<>();
        role.path("Policies").forEach(policy -> statements(policy.path("PolicyDocument"),
                roleId + "/" + policy.path("PolicyName").asText(), grants));
        role.path("ManagedPolicyArns").forEach(arn -> {
            if (arn.has("Ref")) {
                String policyId = arn.get("Ref").asText();
                statements(template.resource(policyId).at("/Properties/PolicyDocument"), policyId, grants);
            }
            // An AWS managed policy by ARN: SAM attaches AWSLambdaBasicExecutionRole (CloudWatch Logs only).
        });
        return grants;
    }

    private static void statements(JsonNode document, String policy, List<Grant> grants) {
        JsonNode statements = document.path("Statement");
        for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
            if (!statement.path("Effect").asText().equals("Allow")) {
                continue;
            }
            List<JsonNode> resources = new ArrayList<>();
            JsonNode resource = statement.path("Resource");
            if (resource.isArray()) {
                resource.forEach(resources::add);
            } else {
                resources.add(resource);
            }
            String where = policy + statement.path("Sid").asText("").transform(sid -> sid.isEmpty() ? "" : " " + sid);
            JsonNode actions = statement.path("Action");
            for (JsonNode action : actions.isArray() ? actions : List.of(actions)) {
                grants.add(new Grant(action.asText(), resources, where));
            }
        }
    }

    /**
     * What Lambda itself does with the function's role (action -> the resource that makes it): an event source
     * mapping reads its stream or queue and sends to its on-failure destination; an event invoke config sends a
     * failed event to its destination.
     */
    private static Map<String, String> platformActions(TransformedTemplate template, String functionId) {
        Map<String, String> actions = new LinkedHashMap<>();
        template.resources().fields().forEachRemaining(entry -> {
            JsonNode resource = entry.getValue();
            JsonNode properties = resource.path("Properties");
            if (!invokes(template, properties.path("FunctionName"), functionId)) {
                return;
            }
            String type = resource.path("Type").asText();
            if (type.equals("AWS::Lambda::EventSourceMapping")) {
                List<String> reads = isQueue(template, properties.path("EventSourceArn")) ? List.of("sqs:ReceiveMessage", "sqs:DeleteMessage",
                        "sqs:GetQueueAttributes") : List.of("kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
                        "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards", "kinesis:ListStreams");
                reads.forEach(action -> actions.put(action, entry.getKey()));
            }
            if (type.equals("AWS::Lambda::EventSourceMapping") || type.equals("AWS::Lambda::EventInvokeConfig")) {
                properties.path("DestinationConfig").forEach(destination -> {
                    JsonNode target = destination.has("Destination") ? destination.get("Destination") : destination;
                    if (isQueue(template, target)) {
                        actions.put("sqs:SendMessage", entry.getKey());
                    }
                });
            }
        });
        return actions;
    }

    private static boolean isQueue(TransformedTemplate template, JsonNode reference) {
        String id = reference.path("Ref").asText(reference.at("/Fn::GetAtt/0").asText(""));
        return template.resource(id).path("Type").asText().equals("AWS::SQS::Queue");
    }

    /** Whether a FunctionName names the function, directly or through one of its aliases. */
    private static boolean invokes(TransformedTemplate template, JsonNode functionName, String functionId) {
        String ref = functionName.path("Ref").asText(functionName.at("/Fn::GetAtt/0").asText(""));
        if (ref.equals(functionId)) {
            return true;
        }
        JsonNode alias = template.resource(ref);
        return alias.path("Type").asText().equals("AWS::Lambda::Alias")
                && alias.at("/Properties/FunctionName/Ref").asText().equals(functionId);
    }
}
