package dev.rawzone.runner.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.rawzone.runner.aws.AwsClients;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where moto 5.2.1's CloudFormation falls short of AWS's, and what the deploy does about it.
 * <p>Before the stack is created, one change to the transformed template: moto has no
 * {@code AWS::Lambda::Alias} (SAM makes one per {@code AutoPublishAlias}), and a resource naming a missing alias
 * fails the stack. So the aliases are dropped and what refers to one (event source mappings, permissions, rule
 * targets, the state machine's substitutions) names its function's unqualified ARN instead: locally every
 * invocation runs {@code $LATEST} anyway.
 * <p>After it is created, the properties moto creates a resource without, and that the functions rely on, are set
 * through the service's own API from the template the stack was created from: a bucket's versioning (object identity
 * is bucket + key + versionId) and a table's point-in-time recovery. Only literal values are applied.
 * <p>And one it does that the runner must undo: moto runs a function for each message sent to a queue its event
 * source mapping reads (it cannot run a Java function without Docker, and deletes the message all the same), so a
 * continuation an S3 invocation handed off would be gone before anything delivered it. Every event source mapping
 * of the stack is disabled: locally the runner and the simulation deliver what a mapping would.
 * <p>Not done locally: the landing bucket's notification (moto would try to run the function itself, which it
 * cannot without Docker; the runner invokes functions in its harness) and the types moto's CloudFormation skips
 * without creating them, listed in {@link #SKIPPED_BY_EMULATOR}. The bucket policies are not put on the buckets
 * afterwards either: moto 5.2.1 enforces a bucket policy's {@code Deny} for principal {@code *} without its
 * conditions, so the TLS-only policy ({@code aws:SecureTransport} false) would deny every request, TLS or not.
 */
public final class EmulatorGaps {
    static final String ALIAS = "AWS::Lambda::Alias";
    static final String EVENT_SOURCE_MAPPING = "AWS::Lambda::EventSourceMapping";
    /** Created by CloudFormation on AWS, skipped (no resource, no error) by moto 5.2.1's. */
    public static final List<String> SKIPPED_BY_EMULATOR = List.of("AWS::Glue::Database", "AWS::Glue::Table",
            "AWS::CloudWatch::Alarm", "AWS::CloudWatch::Dashboard", "AWS::S3::BucketPolicy",
            "AWS::Lambda::EventInvokeConfig", "AWS::SecretsManager::Secret");

    private EmulatorGaps() {
    }

    /**
     * Sets the bucket versioning and table point-in-time recovery the stack's template asks for, and disables the
     * stack's event source mappings.
     */
    public static void complete(DeployedStack stack, AwsClients aws) {
        for (DeployedStack.Resource mapping : stack.resources()) {
            if (mapping.type().equals(EVENT_SOURCE_MAPPING)) {
                aws.lambda().updateEventSourceMapping(u -> u.uuid(mapping.physicalId()).enabled(false));
            }
        }
        stack.template().path("Resources").fields().forEachRemaining(resource -> {
            String id = resource.getKey();
            JsonNode properties = resource.getValue().path("Properties");
            if (!stack.has(id)) {
                return;
            }
            switch (resource.getValue().path("Type").asText()) {
                case "AWS::S3::Bucket" -> {
                    if (properties.at("/VersioningConfiguration/Status").asText().equals("Enabled")) {
                        aws.s3().putBucketVersioning(v -> v.bucket(stack.physicalId(id))
                                .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
                    }
                }
                case "AWS::DynamoDB::Table" -> {
                    if (properties.at("/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled").asBoolean(false)) {
                        aws.dynamoDb().updateContinuousBackups(u -> u.tableName(stack.physicalId(id))
                                .pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
                    }
                }
                default -> {
                    // created as the template says
                }
            }
        });
    }

    /** The template without aliases; {@code template} itself is not changed. */
    public static ObjectNode withoutAliases(ObjectNode template) {
        ObjectNode copy = template.deepCopy();
        ObjectNode resources = (ObjectNode) copy.path("Resources");
        Map<String, String> functionOfAlias = new LinkedHashMap<>();
        resources.fields().forEachRemaining(resource -> {
            JsonNode function = resource.getValue().path("Properties").path("FunctionName").path("Ref");
            if (resource.getValue().path("Type").asText().equals(ALIAS) && function.isTextual()) {
                functionOfAlias.put(resource.getKey(), function.asText());
            }
        });
        functionOfAlias.keySet().forEach(resources::remove);
        return (ObjectNode) replace(copy, functionOfAlias);
    }

    private static JsonNode replace(JsonNode node, Map<String, String> functionOfAlias) {
        if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, replace(array.get(i), functionOfAlias));
            }
            return array;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode object = (ObjectNode) node;
        JsonNode ref = object.get("Ref");
        if (object.size() == 1 && ref != null && functionOfAlias.containsKey(ref.asText())) {
            ObjectNode getAtt = JsonNodeFactory.instance.objectNode();
            getAtt.putArray("Fn::GetAtt").add(functionOfAlias.get(ref.asText())).add("Arn");
            return getAtt;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("DependsOn")) {
                field.setValue(dependsOn(field.getValue(), functionOfAlias));
            } else if (field.getKey().equals("Fn::Sub")) {
                field.setValue(sub(field.getValue(), functionOfAlias));
            } else {
                field.setValue(replace(field.getValue(), functionOfAlias));
            }
        }
        return object;
    }

    private static JsonNode dependsOn(JsonNode value, Map<String, String> functionOfAlias) {
        ArrayNode ids = JsonNodeFactory.instance.arrayNode();
        (value.isArray() ? value : JsonNodeFactory.instance.arrayNode().add(value))
                .forEach(id -> ids.add(functionOfAlias.getOrDefault(id.asText(), id.asText())));
        return ids;
    }

    private static JsonNode sub(JsonNode value, Map<String, String> functionOfAlias) {
        JsonNode replaced = replace(value, functionOfAlias);
        if (replaced.isTextual()) {
            return new TextNode(subText(replaced.asText(), functionOfAlias));
        }
        if (replaced.isArray() && replaced.size() > 0 && replaced.get(0).isTextual()) {
            ((ArrayNode) replaced).set(0, new TextNode(subText(replaced.get(0).asText(), functionOfAlias)));
        }
        return replaced;
    }

    private static String subText(String text, Map<String, String> functionOfAlias) {
        for (Map.Entry<String, String> alias : functionOfAlias.entrySet()) {
            text = text.replace("${" + alias.getKey() + "}", "${" + alias.getValue() + ".Arn}");
        }
        return text;
    }
}
