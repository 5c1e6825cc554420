package dev.rawzone.functions.s3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.testkit.Emulator;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.rawzone.functions.s3.S3Fixture.assertCountsAddUp;
import static dev.rawzone.functions.s3.S3Fixture.orders;
import static dev.rawzone.functions.s3.S3Fixture.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notifications the emulator itself sends (S3 to SQS), not ones the tests wrote: its test event first, then
 * records with an encoded key, an eventTime without a zone and no version id or sequencer.
 */
class EmulatedNotificationTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    @Test
    void whatTheEmulatedBucketSendsIsIngestedOnceAndItsTestEventIgnored() {
        S3Fixture fixture = new S3Fixture(EMULATOR.emulator());
        SqsClient sqs = SqsClient.builder().endpointOverride(EMULATOR.emulator().endpoint())
                .region(Region.of(Emulator.REGION)).httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(Emulator.ACCESS_KEY, Emulator.SECRET_KEY))).build();
        String queueUrl = sqs.createQueue(q -> q.queueName("landing-events")).queueUrl();
        String queueArn = sqs.getQueueAttributes(a -> a.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        fixture.s3.putBucketNotificationConfiguration(n -> n.bucket(S3Fixture.LANDING).notificationConfiguration(c -> c
                .queueConfigurations(q -> q.queueArn(queueArn).events(Event.S3_OBJECT_CREATED))));
        String key = "orders/2026-11-25/from emulator+1 é.jsonl";
        fixture.s3.putObject(p -> p.bucket(S3Fixture.LANDING).key(key), RequestBody.fromBytes(utf8(orders(1, 3))));

        S3IngestHandler handler = fixture.handler(Map.of());
        List<ObjectNode> reports = new ArrayList<>();
        for (Message message : receiveAll(sqs, queueUrl)) {
            reports.add(fixture.invoke(handler, message.body()));
        }

        assertEquals(2, reports.size(), "a test event, then the put");
        assertTrue(reports.get(0).get("ignored").get(0).get("reason").asText().contains("s3:TestEvent"));
        ObjectNode put = reports.get(1);
        assertEquals(key, put.get("objects").get(0).get("key").asText());
        assertEquals(3, put.get("written").asLong(), put.toString());
        assertCountsAddUp(put);
        assertEquals(3, fixture.rawRecords().size());
    }

    private static List<Message> receiveAll(SqsClient sqs, String queueUrl) {
        List<Message> messages = new ArrayList<>();
        for (int attempt = 0; attempt < 5 && messages.size() < 2; attempt++) {
            messages.addAll(sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages());
        }
        return messages;
    }
}
