package dev.rawzone.core.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rawzone.testkit.EmulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.s3.S3Client;

class RoutingTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private static final Supplier<S3Client> NO_S3 = () -> {
        throw new AssertionError("S3 must not be used for this location");
    };

    private static final String CONFIG = """
            {"routes":[{"prefix":"orders/","dataset":"orders"},
                       {"prefix":"orders/eu/","dataset":"orders_eu","format":"csv"},
                       {"prefix":"orders/eu/de/","dataset":"orders_de"}]}""";

    @Test
    void longestMatchingPrefixWins() {
        Routing routing = Routing.parse(CONFIG);

        assertEquals(new Route("orders/", "orders"), routing.route("orders/us/2024/01.jsonl").orElseThrow());
        assertEquals(new Route("orders/eu/", "orders_eu", Optional.of("csv")),
                routing.route("orders/eu/fr/01.dat").orElseThrow());
        assertEquals("orders_de", routing.route("orders/eu/de/01.jsonl").orElseThrow().dataset());
        assertEquals(3, routing.routes().size());
        assertEquals("orders/", routing.routes().get(0).prefix(), "routes() keeps config order");
    }

    @Test
    void keysMatchingNoPrefixHaveNoRoute() {
        Routing routing = Routing.parse(CONFIG);

        assertEquals(Optional.empty(), routing.route("customers/01.jsonl"));
        assertEquals(Optional.empty(), routing.route("orders"), "a key shorter than the prefix does not match");
        assertEquals(Optional.empty(), routing.route("Orders/01.jsonl"), "matching is case-sensitive");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            not json                    | {"routes":[                                                      | not valid JSON
            not an object               | []                                                               | must be a JSON object
            routes missing              | {"rules":[]}                                                     | "routes" array
            routes not an array         | {"routes":{"prefix":"a/","dataset":"a"}}                         | "routes" array
            no routes                   | {"routes":[]}                                                    | has no routes
            entry not an object         | {"routes":["orders/"]}                                           | routes[0] "orders/": must be an object
            prefix missing              | {"routes":[{"dataset":"a"}]}                                     | routes[0] {"dataset":"a"}: "prefix" is missing
            prefix empty                | {"routes":[{"prefix":"a/","dataset":"a"},{"prefix":"","dataset":"b"}]} | routes[1] {"prefix":"","dataset":"b"}: prefix must not be empty
            prefix with leading slash   | {"routes":[{"prefix":"/a/","dataset":"a"}]}                      | routes[0] {"prefix":"/a/","dataset":"a"}: prefix must not start with '/'
            prefix not a string         | {"routes":[{"prefix":1,"dataset":"a"}]}                          | routes[0] {"prefix":1,"dataset":"a"}: "prefix" must be a string
            dataset missing             | {"routes":[{"prefix":"a/"}]}                                     | routes[0] {"prefix":"a/"}: "dataset" is missing
            dataset with capitals       | {"routes":[{"prefix":"a/","dataset":"Orders-EU"}]}               | routes[0] {"prefix":"a/","dataset":"Orders-EU"}: dataset "Orders-EU" must match [a-z0-9_]{1,64}
            dataset too long            | {"routes":[{"prefix":"a/","dataset":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}]} | must match [a-z0-9_]{1,64}
            unknown format              | {"routes":[{"prefix":"a/","dataset":"a","format":"parquet"}]}    | routes[0] {"prefix":"a/","dataset":"a","format":"parquet"}: format "parquet" must be "jsonl" or "csv"
            unknown field               | {"routes":[{"prefix":"a/","dataset":"a","fromat":"csv"}]}        | unknown field "fromat"
            duplicate prefix            | {"routes":[{"prefix":"a/","dataset":"a"},{"prefix":"b/","dataset":"b"},{"prefix":"a/","dataset":"c"}]} | routes[2] (prefix "a/"): duplicate prefix, already used by routes[0]
            """)
    void badConfigsAreRefusedNamingTheBadEntry(String name, String config, String expected) {
        InvalidRoutingException e = assertThrows(InvalidRoutingException.class, () -> Routing.parse(config));
        assertTrue(e.getMessage().contains(expected), () -> "message was: " + e.getMessage());
    }

    @Test
    void routeRecordRejectsWhatTheConfigWouldRefuse() {
        assertThrows(IllegalArgumentException.class, () -> new Route("", "a"));
        assertThrows(IllegalArgumentException.class, () -> new Route("a/", "A"));
        assertThrows(IllegalArgumentException.class, () -> new Route("a/", "a", Optional.of("xml")));
        assertThrows(InvalidRoutingException.class,
                () -> Routing.of(List.of(new Route("a/", "a"), new Route("a/", "b"))));
    }

    @Test
    void loadsFromTheClasspath() {
        Routing routing = Routing.load("classpath:routing/routes.json", NO_S3);

        assertEquals("orders_eu", routing.route("orders/eu/x.csv").orElseThrow().dataset());
        assertEquals(Optional.of("jsonl"), routing.route("customers/x").orElseThrow().format());
    }

    @Test
    void loadsFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("routes.json");
        Files.writeString(file, CONFIG);

        Routing routing = Routing.load(file.toString(), NO_S3);

        assertEquals("orders_de", routing.route("orders/eu/de/x").orElseThrow().dataset());
    }

    @Test
    void loadsFromS3() {
        try (S3Client s3 = TestS3.client(EMULATOR.emulator())) {
            s3.createBucket(request -> request.bucket("config"));
            TestS3.put(s3, "config", "rawzone/routes.json", CONFIG);

            Routing routing = Routing.load("s3://config/rawzone/routes.json", () -> s3);

            assertEquals("orders_eu", routing.route("orders/eu/x").orElseThrow().dataset());
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> Routing.load("s3://config/rawzone/absent.json", () -> s3));
            assertTrue(missing.getMessage().contains("s3://config/rawzone/absent.json"), missing.getMessage());
        }
    }

    @Test
    void anInvalidLoadedConfigNamesItsLocation(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("routes.json");
        Files.writeString(file, "{\"routes\":[{\"prefix\":\"a/\",\"dataset\":\"A\"}]}");

        InvalidRoutingException e = assertThrows(InvalidRoutingException.class,
                () -> Routing.load(file.toString(), NO_S3));

        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("routes[0]"), e.getMessage());
    }
}
