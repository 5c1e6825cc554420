package dev.rawzone.runner.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.runner.template.Intrinsics;
import dev.rawzone.runner.template.Template;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.kinesis.model.StreamMode;
import software.amazon.awssdk.services.kinesis.model.StreamModeDetails;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates the template's data resources in the emulator when they are missing: S3 buckets (with versioning when the
 * template enables it), DynamoDB tables (on demand), Kinesis streams and SQS queues. Running it again changes nothing.
 * Other resource types (functions, roles, alarms, log groups...) are skipped without a word.
 */
public final class ResourceProvisioner {
    /** One resource the run made sure of. */
    public record Provisioned(String logicalId, String type, String name, boolean created) {}

    private interface Creator {
        boolean ensure(String logicalId, JsonNode properties, String name);
    }

    private final Template template;
    private final Intrinsics intrinsics;
    private final AwsClients aws;
    private final Map<String, Creator> creators = new LinkedHashMap<>();

    public ResourceProvisioner(Template template, Intrinsics intrinsics, AwsClients aws) {
        this.template = template;
        this.intrinsics = intrinsics;
        this.aws = aws;
        creators.put("AWS::S3::Bucket", this::bucket);
        creators.put("AWS::DynamoDB::Table", this::table);
        creators.put("AWS::Serverless::SimpleTable", this::simpleTable);
        creators.put("AWS::Kinesis::Stream", this::stream);
        creators.put("AWS::SQS::Queue", this::queue);
    }

    public List<Provisioned> provision() {
        List<Provisioned> done = new ArrayList<>();
        for (String id : template.resourceIds()) {
            String type = template.type(id);
            Creator creator = creators.get(type);
            if (creator == null || !intrinsics.exists(id)) {
                continue;
            }
            String name = intrinsics.names().name(id);
            JsonNode properties = template.resource(id).map(r -> r.path("Properties")).orElseThrow();
            done.add(new Provisioned(id, type, name, creator.ensure(id, properties, name)));
        }
        return done;
    }

    private boolean bucket(String id, JsonNode properties, String name) {
        boolean created = false;
        try {
            aws.s3().headBucket(b -> b.bucket(name));
        } catch (NoSuchBucketException missing) {
            created = createBucket(name);
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            created = createBucket(name);
        }
        String status = intrinsics.resolve(properties.path("VersioningConfiguration").path("Status")).asText("");
        if (status.equals("Enabled")) {
            aws.s3().putBucketVersioning(v -> v.bucket(name)
                    .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        }
        return created;
    }

    private boolean createBucket(String name) {
        try {
            aws.s3().createBucket(b -> b.bucket(name));
            return true;
        } catch (S3Exception e) {
            if ("BucketAlreadyOwnedByYou".equals(e.awsErrorDetails().errorCode())) {
                return false;
            }
            throw e;
        }
    }

    private boolean table(String id, JsonNode raw, String name) {
        if (tableExists(name)) {
            return false;
        }
        JsonNode properties = intrinsics.resolve(raw);
        CreateTableRequest.Builder request = CreateTableRequest.builder().tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(keys(properties.path("KeySchema")));
        List<AttributeDefinition> attributes = new ArrayList<>();
        for (JsonNode a : properties.path("AttributeDefinitions")) {
            attributes.add(AttributeDefinition.builder().attributeName(a.path("AttributeName").asText())
                    .attributeType(a.path("AttributeType").asText()).build());
        }
        request.attributeDefinitions(attributes);
        List<GlobalSecondaryIndex> global = new ArrayList<>();
        for (JsonNode index : properties.path("GlobalSecondaryIndexes")) {
            global.add(GlobalSecondaryIndex.builder().indexName(index.path("IndexName").asText())
                    .keySchema(keys(index.path("KeySchema"))).projection(projection(index.path("Projection"))).build());
        }
        if (!global.isEmpty()) {
            request.globalSecondaryIndexes(global);
        }
        List<LocalSecondaryIndex> local = new ArrayList<>();
        for (JsonNode index : properties.path("LocalSecondaryIndexes")) {
            local.add(LocalSecondaryIndex.builder().indexName(index.path("IndexName").asText())
                    .keySchema(keys(index.path("KeySchema"))).projection(projection(index.path("Projection"))).build());
        }
        if (!local.isEmpty()) {
            request.localSecondaryIndexes(local);
        }
        String streamView = properties.path("StreamSpecification").path("StreamViewType").asText("");
        if (!streamView.isEmpty()) {
            request.streamSpecification(StreamSpecification.builder().streamEnabled(true).streamViewType(streamView).build());
        }
        aws.dynamoDb().createTable(request.build());
        JsonNode ttl = properties.path("TimeToLiveSpecification");
        if (ttl.path("Enabled").asText("false").equals("true")) {
            aws.dynamoDb().updateTimeToLive(t -> t.tableName(name).timeToLiveSpecification(s -> s
                    .attributeName(ttl.path("AttributeName").asText()).enabled(true)));
        }
        return true;
    }

    private boolean simpleTable(String id, JsonNode raw, String name) {
        if (tableExists(name)) {
            return false;
        }
        JsonNode key = intrinsics.resolve(raw.path("PrimaryKey"));
        String attribute = key.path("Name").asText("id");
        String type = switch (key.path("Type").asText("String")) {
            case "Number" -> "N";
            case "Binary" -> "B";
            default -> "S";
        };
        aws.dynamoDb().createTable(t -> t.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName(attribute).keyType("HASH").build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName(attribute).attributeType(type).build()));
        return true;
    }

    private boolean tableExists(String name) {
        try {
            aws.dynamoDb().describeTable(d -> d.tableName(name));
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException missing) {
            return false;
        }
    }

    private static List<KeySchemaElement> keys(JsonNode schema) {
        List<KeySchemaElement> keys = new ArrayList<>();
        for (JsonNode k : schema) {
            keys.add(KeySchemaElement.builder().attributeName(k.path("AttributeName").asText())
                    .keyType(k.path("KeyType").asText()).build());
        }
        return keys;
    }

    private static Projection projection(JsonNode projection) {
        Projection.Builder builder = Projection.builder().projectionType(projection.path("ProjectionType").asText("ALL"));
        List<String> attributes = new ArrayList<>();
        projection.path("NonKeyAttributes").forEach(a -> attributes.add(a.asText()));
        if (!attributes.isEmpty()) {
            builder.nonKeyAttributes(attributes);
        }
        return builder.build();
    }

    private boolean stream(String id, JsonNode raw, String name) {
        try {
            aws.kinesis().describeStreamSummary(d -> d.streamName(name));
            return false;
        } catch (software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException missing) {
            // create it below
        }
        JsonNode properties = intrinsics.resolve(raw);
        boolean onDemand = properties.path("StreamModeDetails").path("StreamMode").asText("").equals("ON_DEMAND");
        int shards = properties.path("ShardCount").asInt(1);
        aws.kinesis().createStream(c -> {
            c.streamName(name);
            if (onDemand) {
                c.streamModeDetails(StreamModeDetails.builder().streamMode(StreamMode.ON_DEMAND).build());
            } else {
                c.shardCount(Math.max(1, shards));
            }
        });
        return true;
    }

    private boolean queue(String id, JsonNode raw, String name) {
        try {
            aws.sqs().getQueueUrl(g -> g.queueName(name));
            return false;
        } catch (software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException missing) {
            // create it below
        }
        JsonNode properties = intrinsics.resolve(raw);
        Map<QueueAttributeName, String> attributes = new HashMap<>();
        Map<String, QueueAttributeName> copied = Map.of(
                "FifoQueue", QueueAttributeName.FIFO_QUEUE,
                "ContentBasedDeduplication", QueueAttributeName.CONTENT_BASED_DEDUPLICATION,
                "VisibilityTimeout", QueueAttributeName.VISIBILITY_TIMEOUT,
                "MessageRetentionPeriod", QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                "DelaySeconds", QueueAttributeName.DELAY_SECONDS,
                "MaximumMessageSize", QueueAttributeName.MAXIMUM_MESSAGE_SIZE,
                "ReceiveMessageWaitTimeSeconds", QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS);
        copied.forEach((property, attribute) -> {
            JsonNode value = properties.get(property);
            if (value != null && value.isValueNode()) {
                attributes.put(attribute, value.asText());
            }
        });
        aws.sqs().createQueue(c -> c.queueName(name).attributes(attributes));
        return true;
    }
}
