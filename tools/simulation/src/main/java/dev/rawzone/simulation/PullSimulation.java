package dev.rawzone.simulation;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.functions.pull.PullIngestHandler;
import dev.rawzone.simulation.audit.RawZoneAudit;
import dev.rawzone.simulation.audit.SourceRecords;
import dev.rawzone.simulation.faults.SimulatedCrash;
import dev.rawzone.testkit.FakeContext;
import dev.rawzone.testkit.api.SampleApi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static dev.rawzone.simulation.Faults.Calls;
import static dev.rawzone.simulation.Faults.CrashTarget;
import static dev.rawzone.testkit.FaultInjectingProxy.dynamoDb;
import static dev.rawzone.testkit.FaultInjectingProxy.putTo;

/**
 * Pull: the sample API (contacts that change between runs, late updates stamped inside the lookback window,
 * records the schema refuses) pulled by scheduled runs; each run may crash around any S3 or checkpoint call,
 * meet throttling and dropped connections, or an API answering 429 and 5xx; the API changes before the retry
 * (so a re-run sees other pages than the crashed run did), and the page size or the schema may change too.
 * Every version current when a run completed must be in the raw zone once; any other version the API made may
 * be (at most once). One seed in four adds a tie group (contacts sharing one {@code updated_at}) larger than a
 * small {@code PULL_SEEN_CAP}, with every seen set kept in its own object, so crashes land around that object's
 * write; those seeds stamp updates at the present, since a cap that small narrows the lookback below late ones.
 */
final class PullSimulation implements SourceSimulation {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TOKEN = "sim-token-7d1e";
    private static final String SECRET = "sim/pull/contacts";
    private static final String SOURCES = "sources.json";
    private static final String[] DATASETS = {"contacts", "contacts_b"};
    private static final Instant START = Instant.parse("2026-11-25T08:00:00Z");
    private static final int MAX_ATTEMPTS = 6;
    private static final Faults FAULTS = new Faults(
            List.of(new CrashTarget("PutObject", "manifests/"), new CrashTarget("PutObject", "manifests/pull/seen/"),
                    new CrashTarget("PutObject", "raw/"),
                    new CrashTarget("PutObject", "quarantine/"), new CrashTarget("GetObject", "manifests/"),
                    new CrashTarget("UpdateItem", Lab.TABLE), new CrashTarget("PutItem", Lab.TABLE),
                    new CrashTarget("GetItem", Lab.TABLE)),
            List.of(new Calls("PUT raw/", putTo("/" + Lab.RAW + "/raw/")),
                    new Calls("PUT manifests/", putTo("/" + Lab.RAW + "/manifests/")),
                    new Calls("DynamoDB UpdateItem", dynamoDb("UpdateItem")),
                    new Calls("DynamoDB PutItem", dynamoDb("PutItem"))));

    @Override
    public String name() {
        return "pull";
    }

    @Override
    public ScenarioResult run(long seed, Lab lab) {
        lab.reset();
        try (SampleApi api = SampleApi.start(TOKEN)) {
            return new PullScenario(seed, new Random(seed), lab, api).run();
        }
    }

    private static final class PullScenario {
        private final long seed;
        private final Random random;
        private final Lab lab;
        private final SampleApi api;
        private final SourceRecords source = new SourceRecords(PullScenario::versionIn);
        private final Map<String, String> environment;
        private final Containers<PullIngestHandler> containers;
        private final List<String> story = new ArrayList<>();
        private final ScenarioResult result;
        private Instant clock = START;
        private int schemaVersion = 1;
        private int pageSize;
        private String dataset = "contacts";
        private final boolean ties;

        PullScenario(long seed, Random random, Lab lab, SampleApi api) {
            this.seed = seed;
            this.random = random;
            this.lab = lab;
            this.api = api;
            this.result = new ScenarioResult("pull", seed);
            this.ties = seed % 4 == 0;
            lab.secrets.createSecret(c -> c.name(SECRET).secretString(TOKEN));
            for (String name : DATASETS) {
                lab.putConfig(SimulatedConfig.SCHEMAS + "/" + name + "/v1.json", contactsSchema());
            }
            this.pageSize = 3 + random.nextInt(8);
            publishSources();
            Map<String, String> settings = new HashMap<>(Map.of(
                    "PULL_SOURCES", "s3://" + Lab.CONFIG + "/" + SOURCES,
                    "SCHEMA_LOCATION", "s3://" + Lab.CONFIG + "/" + SimulatedConfig.SCHEMAS,
                    "PULL_TIME_RESERVE_MS", "1000",
                    "PART_MAX_RECORDS", Integer.toString(3 + random.nextInt(8))));
            if (ties) {
                settings.putAll(Map.of("PULL_SEEN_CAP", "4", "PULL_SEEN_INLINE_BYTES", "32"));
            }
            Map<String, String> env = lab.functionEnvironment(settings);
            this.environment = env;
            this.containers = new Containers<>(() -> new PullIngestHandler(env));
        }

        ScenarioResult run() {
            long started = System.nanoTime();
            api.seed(5 + random.nextInt(20), START, Duration.ofMinutes(1));
            if (ties) {
                api.seed(5 + (int) (seed % 7), START.plus(Duration.ofMinutes(30)), Duration.ZERO);
                story.add("a tie group over the seen-set cap");
            }
            clock = START.plus(Duration.ofMinutes(40));
            int runs = 2 + random.nextInt(3);
            for (int run = 0; run < runs; run++) {
                if (run > 0) {
                    change();
                }
                if (random.nextInt(5) == 0) {
                    overlappingRuns();
                }
                scheduledRun();
            }
            List<SampleApi.Version> settled = api.current();
            if (!finalRunSkipsEverything()) {
                result.violations.add("a run after everything settled did not skip every version");
            }
            settled.forEach(version -> source.mustLand(version.id() + "@" + version.updatedAt(), null));
            api.versions().forEach(version -> source.mayLand(version.id() + "@" + version.updatedAt(), null));
            result.settle(story, source, RawZoneAudit.of(lab.s3, Lab.RAW), started);
            return result;
        }

        /**
         * One schedule tick: the run, retried (as Lambda retries a failed async invoke) until it completes. The
         * attempt that completes vouches for every version current when it started.
         */
        private void scheduledRun() {
            String lastFailure = "";
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                List<SampleApi.Version> current = api.current();
                String fault = attempt <= 3 && random.nextInt(4) != 0 ? injectFault() : "none";
                PullIngestHandler handler = containers.pick(random);
                try {
                    JsonNode report = invoke(handler);
                    clearFaults();
                    String status = report.get("sources").get(0).get("status").asText();
                    if (status.equals("COMPLETE")) {
                        current.forEach(v -> source.mustLand(v.id() + "@" + v.updatedAt(), null));
                        return;
                    }
                    lastFailure = fault + ": run ended " + status;
                } catch (SimulatedCrash crash) {
                    clearFaults();
                    containers.crashed(handler);
                    lastFailure = crash.getMessage();
                } catch (RuntimeException e) {
                    clearFaults();
                    lastFailure = fault + ": " + e.getMessage();
                }
                result.failedThenRetried++;
                story.add("attempt " + attempt + " failed (" + lastFailure + ")");
                if (random.nextInt(10) < 4) {
                    change();
                }
            }
            result.violations.add("a run never completed in " + MAX_ATTEMPTS + " attempts: " + lastFailure);
        }

        /** Two runs of the source at once (a schedule tick while a slow run still goes): neither may write twice. */
        private void overlappingRuns() {
            story.add("two runs at once");
            PullIngestHandler first = containers.pick(random);
            PullIngestHandler second = new PullIngestHandler(environment);
            for (Object outcome : Concurrently.run(() -> invoke(first), () -> invoke(second))) {
                if (!(outcome instanceof JsonNode)) {
                    story.add("one of them failed (" + outcome + ")");
                }
            }
        }

        /** The attempt is over: faults it did not reach (a proxy rule, an API answer scripted for a later request) go. */
        private void clearFaults() {
            Faults.clear(lab.proxy);
            api.clearScripted();
        }

        private boolean finalRunSkipsEverything() {
            try {
                JsonNode report = invoke(containers.pick(random));
                return report.get("written").asLong() + report.get("quarantined").asLong() == 0;
            } catch (RuntimeException e) {
                result.violations.add("the settling run failed: " + e);
                return true;
            }
        }

        private String injectFault() {
            if (random.nextInt(4) > 0) {
                return FAULTS.inject(random, lab.proxy);
            }
            int at = api.requestCount() + 1 + random.nextInt(3);
            if (random.nextBoolean()) {
                api.throttleAt(at, 0);
                return "API 429 at request " + at;
            }
            int times = 1 + random.nextInt(3);
            api.errorAt(at, at + times - 1, 503);
            return "API 503 x" + times + " from request " + at;
        }

        /** What happens between runs: new contacts, updates (some late, inside the lookback), a config change. */
        private void change() {
            clock = clock.plus(Duration.ofMinutes(5));
            List<SampleApi.Version> current = api.current();
            int updates = random.nextInt(4);
            for (int i = 0; i < updates && !current.isEmpty(); i++) {
                SampleApi.Version version = current.get(random.nextInt(current.size()));
                Instant stamp = random.nextBoolean() || ties ? clock : clock.minus(Duration.ofMinutes(1 + random.nextInt(8)));
                if (stamp.isAfter(Instant.parse(version.updatedAt()))) {
                    api.update(version.id(), stamp);
                }
            }
            for (int i = random.nextInt(6); i > 0; i--) {
                clock = clock.plusSeconds(7);
                long id = api.create(clock);
                if (random.nextInt(8) == 0) {
                    api.corrupt(id, "email", 42);
                }
            }
            if (random.nextInt(6) == 0) {
                pageSize = 3 + random.nextInt(8);
                publishSources();
                story.add("page size changed to " + pageSize);
            } else if (random.nextInt(8) == 0 && schemaVersion < 3) {
                schemaVersion++;
                for (String name : DATASETS) {
                    lab.putConfig(SimulatedConfig.SCHEMAS + "/" + name + "/v" + schemaVersion + ".json", contactsSchema());
                }
                story.add("schema v" + schemaVersion + " published");
            } else if (random.nextInt(8) == 0) {
                dataset = dataset.equals(DATASETS[0]) ? DATASETS[1] : DATASETS[0];
                publishSources();
                story.add("source moved to dataset " + dataset);
            }
        }

        private JsonNode invoke(PullIngestHandler handler) {
            ScheduledEvent event = new ScheduledEvent();
            event.setDetailType("Scheduled Event");
            event.setSource("aws.events");
            event.setDetail(new HashMap<>(Map.of("source", "contacts")));
            JsonNode report = MAPPER.valueToTree(handler.handleRequest(event,
                    new FakeContext("PullIngestFunction", Duration.ofMinutes(15))));
            long in = report.get("in").asLong();
            long sum = report.get("written").asLong() + report.get("quarantined").asLong()
                    + report.get("duplicates").asLong() + report.get("failed").asLong();
            synchronized (result) {
                if (in != sum) {
                    result.violations.add("counts do not add up: " + report);
                }
                result.duplicatesSkipped += report.get("duplicates").asLong();
            }
            return report;
        }

        private void publishSources() {
            ObjectNode source = MAPPER.createObjectNode();
            source.put("name", "contacts").put("dataset", dataset).put("endpoint", api.endpoint().toString())
                    .put("page_size", pageSize).put("page_size_param", "limit").put("records_field", "records")
                    .put("id_field", "id").put("max_attempts", 3).put("request_timeout", "PT5S");
            source.putObject("auth").put("type", "bearer").put("secret", "secretsmanager:" + SECRET);
            source.putObject("cursor").put("kind", "timestamp").put("field", "updated_at")
                    .put("param", "updated_since").put("lookback", "PT10M");
            source.putObject("pagination").put("style", "next_token").put("param", "page_token")
                    .put("token_field", "next_page_token").put("has_more_field", "has_more");
            ObjectNode root = MAPPER.createObjectNode();
            root.putArray("sources").add(source);
            lab.putConfig(SOURCES, root.toString());
        }

        private String contactsSchema() {
            try (InputStream in = PullIngestHandler.class.getResourceAsStream("/schemas/contacts/v1.json")) {
                ObjectNode schema = (ObjectNode) MAPPER.readTree(in);
                for (int v = 2; v <= schemaVersion; v++) {
                    ((ObjectNode) schema.get("properties")).putObject("note_v" + v).put("type", "string");
                }
                return schema.toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** {@code id@updated_at} of a stored contact: a data line, or a quarantine entry's record or raw text. */
        static Optional<String> versionIn(String text) {
            try {
                JsonNode node = MAPPER.readTree(text.getBytes(StandardCharsets.UTF_8));
                JsonNode record = node.has("record") ? node.get("record")
                        : node.has("raw") ? MAPPER.readTree(node.get("raw").asText()) : node;
                if (record == null || !record.has("id") || !record.has("updated_at")) {
                    return Optional.empty();
                }
                return Optional.of(record.get("id").asText() + "@" + record.get("updated_at").asText());
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }
}
