package dev.rawzone.core.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.route.TestS3;
import dev.rawzone.testkit.EmulatorExtension;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

class S3SchemaSourceTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String V1 = "{\"type\":\"object\",\"required\":[\"id\"],"
            + "\"properties\":{\"id\":{\"type\":\"string\"},\"amount\":{\"type\":\"integer\"}}}";
    private static final String V2 = "{\"$id\":\"https://schemas.rawzone.dev/orders/v2.json\",\"type\":\"object\","
            + "\"required\":[\"id\"],\"properties\":{\"id\":{\"type\":\"string\"},\"amount\":{\"type\":\"number\"}}}";

    private S3Client s3;

    @BeforeEach
    void bucket() {
        s3 = TestS3.client(EMULATOR.emulator());
        s3.createBucket(request -> request.bucket("config"));
    }

    @AfterEach
    void close() {
        s3.close();
    }

    @Test
    void schemasUploadedToS3AreListedReadAndUsed() throws Exception {
        TestS3.put(s3, "config", "rawzone/schemas/orders/v1.json", V1);
        TestS3.put(s3, "config", "rawzone/schemas/orders/v2.json", V2);
        TestS3.put(s3, "config", "rawzone/schemas/orders/README.md", "not a schema");
        TestS3.put(s3, "config", "rawzone/schemas/orders/archive/v7.json", "{}");
        TestS3.put(s3, "config", "rawzone/schemas/orders_eu/v3.json", "{}");
        AtomicInteger clients = new AtomicInteger();

        SchemaSource source = SchemaSources.fromLocation("s3://config/rawzone/schemas/", () -> {
            clients.incrementAndGet();
            return s3;
        });
        assertEquals(List.of(1, 2), source.versions("orders"));
        assertEquals(Optional.of(V1), source.read("orders", 1));
        assertEquals(Optional.empty(), source.read("orders", 3));
        assertEquals(List.of(), source.versions("invoices"));
        assertEquals(1, clients.get(), "the client is asked for once");

        RecordValidator validator = new RecordValidator(new SchemaCatalogue(source));
        Validation valid = validator.validate("orders", record("{\"id\":\"o-1\",\"amount\":2.5}"));
        Validation invalid = validator.validate("orders",
                record("{\"id\":\"o-1\",\"amount\":2.5,\"schema_version\":\"v1\"}"));

        assertEquals("https://schemas.rawzone.dev/orders/v2.json",
                assertInstanceOf(Validation.Valid.class, valid).schema().schemaId());
        assertEquals(new Validation.Invalid("orders", 1, "$.amount: integer expected, number found"), invalid);
    }

    @Test
    void anIncompatibleVersionInS3IsRefused() {
        TestS3.put(s3, "config", "schemas/orders/v1.json", V1);
        TestS3.put(s3, "config", "schemas/orders/v2.json",
                "{\"type\":\"object\",\"required\":[\"id\",\"amount\"],\"properties\":{\"id\":{\"type\":\"string\"}}}");
        SchemaCatalogue catalogue = new SchemaCatalogue(SchemaSources.fromLocation("s3://config/schemas", () -> s3));

        IncompatibleSchemaException e = assertThrows(IncompatibleSchemaException.class,
                () -> catalogue.currentVersion("orders"));
        assertEquals(List.of("$.amount: newly required"), e.problems());
    }

    @Test
    void aDatasetWithNoSchemaInS3IsUnknown() {
        SchemaCatalogue catalogue = new SchemaCatalogue(SchemaSources.fromLocation("s3://config", () -> s3));

        UnknownDatasetException e = assertThrows(UnknownDatasetException.class, () -> catalogue.currentVersion("orders"));
        assertTrue(e.getMessage().contains("s3://config/orders/v1.json"), e.getMessage());
    }

    private static ObjectNode record(String json) throws Exception {
        return (ObjectNode) MAPPER.readTree(json);
    }
}
