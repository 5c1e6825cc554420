package dev.rawzone.runner.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.rawzone.runner.RunnerException;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bucket policies of a deployed stack's template as CloudFormation would put them on its buckets (moto's skips
 * {@code AWS::S3::BucketPolicy}, see {@link EmulatorGaps}): each policy document with the stack's buckets resolved
 * ({@code Ref}, {@code Fn::GetAtt [Bucket, Arn]}, {@code Fn::Sub} of those); any other intrinsic fails rather than
 * leave a policy half resolved.
 */
final class BucketPolicies {
    static final String BUCKET_POLICY = "AWS::S3::BucketPolicy";
    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{([A-Za-z0-9]+)(\\.Arn)?}");

    private final Map<String, String> buckets;

    /** {@code buckets}: the stack's buckets, each logical id with its bucket's name. */
    BucketPolicies(Map<String, String> buckets) {
        this.buckets = Map.copyOf(buckets);
    }

    /** Each bucket's name with the policy document the stack's template gives it. */
    static Map<String, JsonNode> of(DeployedStack stack) {
        Map<String, String> buckets = new HashMap<>();
        stack.resources().stream().filter(resource -> resource.type().equals("AWS::S3::Bucket"))
                .forEach(bucket -> buckets.put(bucket.logicalId(), bucket.physicalId()));
        BucketPolicies policies = new BucketPolicies(buckets);
        Map<String, JsonNode> byBucket = new HashMap<>();
        stack.template().path("Resources").fields().forEachRemaining(resource -> {
            if (resource.getValue().path("Type").asText().equals(BUCKET_POLICY)) {
                JsonNode properties = resource.getValue().path("Properties");
                byBucket.put(policies.resolve(properties.path("Bucket"), resource.getKey()).asText(),
                        policies.resolve(properties.path("PolicyDocument"), resource.getKey()));
            }
        });
        return byBucket;
    }

    /** The node with every reference to a stack bucket replaced by its name or ARN; {@code node} is not changed. */
    JsonNode resolve(JsonNode node, String policyId) {
        if (node.isArray()) {
            ArrayNode resolved = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> resolved.add(resolve(element, policyId)));
            return resolved;
        }
        if (!node.isObject()) {
            return node;
        }
        if (node.size() == 1) {
            String function = node.fieldNames().next();
            JsonNode argument = node.get(function);
            switch (function) {
                case "Ref" -> {
                    return new TextNode(bucketName(argument.asText(), policyId));
                }
                case "Fn::GetAtt" -> {
                    if (argument.isArray() && argument.size() == 2 && argument.get(1).asText().equals("Arn")) {
                        return new TextNode(arn(bucketName(argument.get(0).asText(), policyId)));
                    }
                    throw unsupported(policyId, node);
                }
                case "Fn::Sub" -> {
                    if (argument.isTextual()) {
                        return new TextNode(substitute(argument.asText(), policyId));
                    }
                    throw unsupported(policyId, node);
                }
                default -> {
                    if (function.startsWith("Fn::")) {
                        throw unsupported(policyId, node);
                    }
                }
            }
        }
        ObjectNode resolved = JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            resolved.set(field.getKey(), resolve(field.getValue(), policyId));
        }
        return resolved;
    }

    private String substitute(String text, String policyId) {
        Matcher matcher = SUBSTITUTION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = bucketName(matcher.group(1), policyId);
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(2) == null ? name : arn(name)));
        }
        matcher.appendTail(out);
        if (out.indexOf("${") >= 0) {
            throw new RunnerException(1, policyId + ": only the stack's buckets can be substituted here, not in " + text);
        }
        return out.toString();
    }

    private String bucketName(String logicalId, String policyId) {
        String name = buckets.get(logicalId);
        if (name == null) {
            throw new RunnerException(1, policyId + " names " + logicalId + ", which is not a bucket of the stack");
        }
        return name;
    }

    private static String arn(String bucket) {
        return "arn:aws:s3:::" + bucket;
    }

    private static RunnerException unsupported(String policyId, JsonNode node) {
        return new RunnerException(1, policyId + ": the local deploy resolves only Ref, Fn::GetAtt Arn and Fn::Sub of "
                + "the stack's buckets in a bucket policy, not " + node);
    }
}
