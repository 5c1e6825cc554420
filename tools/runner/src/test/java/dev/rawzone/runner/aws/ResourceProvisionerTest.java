package dev.rawzone.runner.aws;

import dev.rawzone.runner.TestProject;
import dev.rawzone.runner.template.Intrinsics;
import dev.rawzone.runner.template.Template;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResourceProvisionerTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    @TempDir
    Path dir;

    @Test
    void createsTheTemplatesDataResourcesOnceAndSkipsTheRest() throws IOException {
        Template template = Template.load(TestProject.create(dir).template);
        Intrinsics intrinsics = template.intrinsics(EMULATOR.emulator().endpoint());
        try (AwsClients aws = new AwsClients(EMULATOR.emulator().endpoint())) {
            List<ResourceProvisioner.Provisioned> first = new ResourceProvisioner(template, intrinsics, aws).provision();

            assertEquals(Map.of(
                            "LandingBucket", "rawzone-local-landing-123456789012",
                            "RawBucket", "rawzone-local-raw-dev",
                            "ScratchBucket", "rawzone-local-scratchbucket",
                            "LedgerTable", "rawzone-local-ledger",
                            "IngestStream", "rawzone-local-orders",
                            "DeadLetterQueue", "rawzone-local-dlq"),
                    first.stream().collect(Collectors.toMap(ResourceProvisioner.Provisioned::logicalId,
                            ResourceProvisioner.Provisioned::name)),
                    "functions, the log group, the alarm and the prod-only queue are not created");
            assertTrue(first.stream().allMatch(ResourceProvisioner.Provisioned::created));

            assertEquals(BucketVersioningStatus.ENABLED,
                    aws.s3().getBucketVersioning(v -> v.bucket("rawzone-local-landing-123456789012")).status());
            assertEquals(BucketVersioningStatus.ENABLED,
                    aws.s3().getBucketVersioning(v -> v.bucket("rawzone-local-raw-dev")).status(), "Fn::If in Status");
            assertNull(aws.s3().getBucketVersioning(v -> v.bucket("rawzone-local-scratchbucket")).status());

            TableDescription table = aws.dynamoDb().describeTable(d -> d.tableName("rawzone-local-ledger")).table();
            assertEquals(List.of("pk", "sk"), table.keySchema().stream().map(k -> k.attributeName()).toList());
            assertEquals(KeyType.RANGE, table.keySchema().get(1).keyType());
            assertEquals(2, aws.kinesis().describeStreamSummary(d -> d.streamName("rawzone-local-orders"))
                    .streamDescriptionSummary().openShardCount());
            String queueUrl = aws.sqs().getQueueUrl(g -> g.queueName("rawzone-local-dlq")).queueUrl();
            assertEquals("1209600", aws.sqs().getQueueAttributes(g -> g.queueUrl(queueUrl)
                    .attributeNamesWithStrings("MessageRetentionPeriod")).attributesAsStrings().get("MessageRetentionPeriod"));
            assertFalse(aws.sqs().listQueues().queueUrls().stream().anyMatch(u -> u.contains("ProdOnlyQueue")));

            List<ResourceProvisioner.Provisioned> second = new ResourceProvisioner(template, intrinsics, aws).provision();
            assertEquals(6, second.size());
            assertTrue(second.stream().noneMatch(ResourceProvisioner.Provisioned::created), "a second run changes nothing");
            assertEquals(3, aws.s3().listBuckets().buckets().size());
        }
    }

    @Test
    void seedsObjectsUnderTheirRelativeKeysAndLeavesSameContentAlone() throws IOException {
        TestProject project = TestProject.create(dir);
        try (AwsClients aws = new AwsClients(EMULATOR.emulator().endpoint())) {
            aws.s3().createBucket(b -> b.bucket("landing-seed-test"));
            aws.s3().putBucketVersioning(v -> v.bucket("landing-seed-test")
                    .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
            Path objects = project.root.resolve("events/objects");
            ObjectSeeder seeder = new ObjectSeeder(aws);

            assertEquals(1, seeder.seed(objects, "landing-seed-test"));
            String version = aws.s3().headObject(h -> h.bucket("landing-seed-test").key(TestProject.SAMPLE_KEY)).versionId();
            assertEquals(0, seeder.seed(objects, "landing-seed-test"), "same bytes: the version a sample event quotes stays");
            assertEquals(version, aws.s3().headObject(h -> h.bucket("landing-seed-test").key(TestProject.SAMPLE_KEY)).versionId());

            Files.writeString(objects.resolve(TestProject.SAMPLE_KEY), "{\"order_id\":\"o-2\"}\n");
            assertEquals(1, seeder.seed(objects, "landing-seed-test"));
        }
    }
}
