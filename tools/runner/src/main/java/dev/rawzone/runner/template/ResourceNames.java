package dev.rawzone.runner.template;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.Locale;

import static dev.rawzone.runner.template.Intrinsics.ACCOUNT_ID;
import static dev.rawzone.runner.template.Intrinsics.REGION;
import static dev.rawzone.runner.template.Intrinsics.STACK_NAME;

/**
 * The names, ARNs and URLs resources get in the local stack: the name the template gives (BucketName, TableName,
 * Name, QueueName...) or a deterministic {@code rawzone-local-<logical id>}; ARNs in account
 * {@value Intrinsics#ACCOUNT_ID}, region {@value Intrinsics#REGION}.
 */
public final class ResourceNames {
    private static final String ALIAS = ".Alias";

    private final Template template;
    private final Intrinsics intrinsics;

    ResourceNames(Template template, Intrinsics intrinsics) {
        this.template = template;
        this.intrinsics = intrinsics;
    }

    /** The physical name of a resource: what it is called in the emulator. */
    public String name(String logicalId) {
        String type = typeOf(logicalId);
        String property = switch (type) {
            case "AWS::S3::Bucket" -> "BucketName";
            case "AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable" -> "TableName";
            case "AWS::Kinesis::Stream", "AWS::SSM::Parameter", "AWS::SecretsManager::Secret", "AWS::Events::Rule" -> "Name";
            case "AWS::SQS::Queue" -> "QueueName";
            case "AWS::Serverless::Function", "AWS::Lambda::Function" -> "FunctionName";
            case "AWS::IAM::Role" -> "RoleName";
            case "AWS::SNS::Topic" -> "TopicName";
            case "AWS::Logs::LogGroup" -> "LogGroupName";
            case "AWS::CloudWatch::Alarm" -> "AlarmName";
            default -> null;
        };
        JsonNode given = property == null ? null : template.resource(logicalId)
                .map(r -> r.path("Properties").get(property)).orElse(null);
        if (given != null) {
            return intrinsics.text(given, property + " of " + logicalId);
        }
        return switch (type) {
            case "AWS::S3::Bucket" -> (STACK_NAME + "-" + logicalId).toLowerCase(Locale.ROOT);
            case "AWS::Serverless::Function" -> logicalId; // as sam local names it
            case "AWS::SQS::Queue" -> STACK_NAME + "-" + logicalId + (fifo(logicalId) ? ".fifo" : "");
            case "AWS::Logs::LogGroup" -> "/aws/" + STACK_NAME + "/" + logicalId;
            default -> STACK_NAME + "-" + logicalId;
        };
    }

    /** What {@code Ref} returns for a resource, or for SAM's {@code <function>.Alias}. */
    public String ref(String logicalId) {
        if (logicalId.endsWith(ALIAS)) {
            return aliasArn(logicalId.substring(0, logicalId.length() - ALIAS.length()));
        }
        return switch (typeOf(logicalId)) {
            case "AWS::SQS::Queue" -> queueUrl(name(logicalId));
            case "AWS::SNS::Topic", "AWS::SecretsManager::Secret" -> arn(logicalId);
            default -> name(logicalId);
        };
    }

    /** What {@code Fn::GetAtt} returns. */
    public String getAtt(String logicalId, String attribute) {
        String type = typeOf(logicalId);
        String name = name(logicalId);
        switch (attribute) {
            case "Arn":
                return arn(logicalId);
            case "Alias": // SAM's ${<function>.Alias} in Fn::Sub
                return aliasArn(logicalId);
            case "StreamArn":
                if (type.equals("AWS::DynamoDB::Table") || type.equals("AWS::Serverless::SimpleTable")) {
                    return arn(logicalId) + "/stream/1970-01-01T00:00:00.000";
                }
                break;
            case "QueueUrl":
                return queueUrl(name);
            case "QueueName":
            case "TopicName":
                return name;
            case "TopicArn":
                return arn(logicalId);
            case "DomainName":
                return name + ".s3.amazonaws.com";
            case "RegionalDomainName":
                return name + ".s3." + REGION + ".amazonaws.com";
            case "WebsiteURL":
                return "http://" + name + ".s3-website-" + REGION + ".amazonaws.com";
            case "RoleId":
            case "Id":
                return name;
            default:
                break;
        }
        if (attribute.endsWith("Arn")) {
            return arn(logicalId);
        }
        throw new TemplateException("cannot resolve Fn::GetAtt " + logicalId + "." + attribute + " locally");
    }

    public String arn(String logicalId) {
        String type = typeOf(logicalId);
        String name = name(logicalId);
        String prefix = ":" + REGION + ":" + ACCOUNT_ID + ":";
        return switch (type) {
            case "AWS::S3::Bucket" -> "arn:aws:s3:::" + name;
            case "AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable" -> "arn:aws:dynamodb" + prefix + "table/" + name;
            case "AWS::Kinesis::Stream" -> "arn:aws:kinesis" + prefix + "stream/" + name;
            case "AWS::SQS::Queue" -> "arn:aws:sqs" + prefix + name;
            case "AWS::SNS::Topic" -> "arn:aws:sns" + prefix + name;
            case "AWS::Serverless::Function", "AWS::Lambda::Function" -> "arn:aws:lambda" + prefix + "function:" + name;
            case "AWS::IAM::Role" -> "arn:aws:iam::" + ACCOUNT_ID + ":role/" + name;
            case "AWS::Logs::LogGroup" -> "arn:aws:logs" + prefix + "log-group:" + name + ":*";
            case "AWS::SSM::Parameter" -> "arn:aws:ssm" + prefix + "parameter/" + name.replaceFirst("^/", "");
            case "AWS::SecretsManager::Secret" -> "arn:aws:secretsmanager" + prefix + "secret:" + name + "-local0";
            case "AWS::Events::Rule" -> "arn:aws:events" + prefix + "rule/" + name;
            case "AWS::CloudWatch::Alarm" -> "arn:aws:cloudwatch" + prefix + "alarm:" + name;
            default -> "arn:aws:" + service(type) + prefix + name;
        };
    }

    /** The ARN of the alias SAM publishes for a function with {@code AutoPublishAlias}. */
    public String aliasArn(String functionLogicalId) {
        JsonNode alias = template.resource(functionLogicalId).map(r -> r.path("Properties").get("AutoPublishAlias"))
                .orElse(null);
        if (alias == null) {
            throw new TemplateException(functionLogicalId + " has no AutoPublishAlias, so it has no alias to name");
        }
        return arn(functionLogicalId) + ":" + intrinsics.text(alias, "AutoPublishAlias of " + functionLogicalId);
    }

    public String queueUrl(String queueName) {
        URI endpoint = intrinsics.endpoint();
        String base = endpoint == null ? "https://sqs." + REGION + ".amazonaws.com" : endpoint.toString().replaceAll("/+$", "");
        return base + "/" + ACCOUNT_ID + "/" + queueName;
    }

    private boolean fifo(String logicalId) {
        return template.resource(logicalId).map(r -> r.path("Properties").path("FifoQueue"))
                .map(v -> intrinsics.resolve(v).asText().equals("true")).orElse(false);
    }

    private String typeOf(String logicalId) {
        String type = template.type(logicalId);
        if (!type.isEmpty()) {
            return type;
        }
        // SAM's implicit role for a function, e.g. S3IngestFunctionRole
        if (logicalId.endsWith("Role") && template.type(logicalId.substring(0, logicalId.length() - 4))
                .equals(Template.SERVERLESS_FUNCTION)) {
            return "AWS::IAM::Role";
        }
        throw new TemplateException("the template has no resource or parameter " + logicalId);
    }

    private static String service(String type) {
        String[] parts = type.split("::");
        return parts.length > 1 ? parts[1].toLowerCase(Locale.ROOT) : "unknown";
    }
}
