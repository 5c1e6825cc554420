package dev.rawzone.simulation;

import dev.rawzone.runner.deploy.DeployedStack;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Empties a deployed stack between scenarios, leaving its resources as CloudFormation made them (a deploy takes
 * 8-35 s; resetting the emulator would drop the stack): every object version and delete marker of its buckets,
 * every item of its tables, every message of its queues; and what scenarios make beside the stack: secrets and
 * Kinesis streams.
 */
final class StackData {
    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final KinesisClient kinesis;
    private final SecretsManagerClient secrets;
    private final List<String> buckets;
    private final List<String> tables;
    private final List<String> queues;
    private final Set<String> streams;

    StackData(DeployedStack stack, S3Client s3, DynamoDbClient dynamoDb, SqsClient sqs, KinesisClient kinesis,
              SecretsManagerClient secrets) {
        this.s3 = s3;
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.kinesis = kinesis;
        this.secrets = secrets;
        this.buckets = physicalIds(stack, "AWS::S3::Bucket");
        this.tables = physicalIds(stack, "AWS::DynamoDB::Table");
        this.queues = physicalIds(stack, "AWS::SQS::Queue");
        this.streams = Set.copyOf(physicalIds(stack, "AWS::Kinesis::Stream"));
    }

    private static List<String> physicalIds(DeployedStack stack, String type) {
        return stack.resources().stream().filter(r -> r.type().equals(type)).map(DeployedStack.Resource::physicalId)
                .toList();
    }

    void reset() {
        buckets.forEach(this::emptyBucket);
        tables.forEach(this::emptyTable);
        queues.forEach(queue -> sqs.purgeQueue(p -> p.queueUrl(queue)));
        for (String stream : kinesis.listStreams().streamNames()) {
            if (!streams.contains(stream)) {
                kinesis.deleteStream(d -> d.streamName(stream).enforceConsumerDeletion(true));
            }
        }
        for (SecretListEntry secret : secrets.listSecrets(l -> l.includePlannedDeletion(true)).secretList()) {
            secrets.deleteSecret(d -> d.secretId(secret.arn()).forceDeleteWithoutRecovery(true));
        }
    }

    void emptyBucket(String bucket) {
        List<ObjectIdentifier> versions = new ArrayList<>();
        s3.listObjectVersionsPaginator(l -> l.bucket(bucket)).forEach(page -> {
            page.versions().forEach(v -> versions.add(ObjectIdentifier.builder().key(v.key()).versionId(v.versionId()).build()));
            page.deleteMarkers().forEach(m -> versions.add(ObjectIdentifier.builder().key(m.key()).versionId(m.versionId()).build()));
        });
        for (int from = 0; from < versions.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = versions.subList(from, Math.min(versions.size(), from + DELETE_BATCH));
            s3.deleteObjects(d -> d.bucket(bucket).delete(x -> x.objects(batch).quiet(true)));
        }
    }

    private void emptyTable(String table) {
        List<String> keys = dynamoDb.describeTable(d -> d.tableName(table)).table().keySchema().stream()
                .map(KeySchemaElement::attributeName).toList();
        for (Map<String, AttributeValue> item : dynamoDb.scanPaginator(s -> s.tableName(table)).items()) {
            Map<String, AttributeValue> key = keys.stream().collect(Collectors.toMap(k -> k, item::get));
            dynamoDb.deleteItem(d -> d.tableName(table).key(key));
        }
    }
}
