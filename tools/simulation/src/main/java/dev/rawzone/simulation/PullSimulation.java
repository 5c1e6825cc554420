package dev.rawzone.simulation;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.functions.pull.PullIngestHandler;
import dev.rawzone.simulation.audit.ObjectText;
import dev.rawzone.simulation.audit.RawZoneAudit;
import dev.rawzone.simulation.audit.SourceRecords;
import dev.rawzone.simulation.faults.SimulatedCrash;
import dev.rawzone.testkit.FakeContext;
import dev.rawzone.testkit.api.SampleApi;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.rawzone.simulation.Faults.Calls;
import static dev.rawzone.simulation.Faults.CrashTarget;
import static dev.rawzone.testkit.FaultInjectingProxy.dynamoDb;
import static dev.rawzone.testkit.FaultInjectingProxy.putTo;

/**
 * Pull: the sample API (contacts that change between runs, late updates stamped inside the lookback window,
 * records the schema refuses, some stamped far in the future, contacts served without their id or updated_at)
 * pulled by scheduled runs; each run may crash around any S3 or checkpoint call, meet throttling and dropped
 * connections, or an API answering 429 and 5xx or a body to refuse (not valid in its charset, in a coding not
 * asked for, echoing the credential, which must then be stored nowhere), or serving a page again (a pagination cycle, which
 * must fail the run before the repeat is written); on some seeds the API trickles a page past a short
 * {@code request_timeout} (the request must be cut and retried, and the attempt complete), sends a body that never
 * ends (cut at the size cap, failing the source), or asks with a
 * {@code Retry-After} for longer than the attempt has left (the run pauses and notes {@code not_before}; a run before
 * it makes no request; the next attempt comes after it); the API changes before the retry
 * (so a re-run sees other pages than the crashed run did), and the page size or the schema may change too.
 * The source's shape depends on the seed: {@code updated_since} with next-page tokens, {@code updated_since} paged
 * by offset, or the {@code /v1/changes} page-token feed (ending with a next cursor, none, or the one it was asked
 * with); on the last two the API also changes while a run pages through it (rows moved to the end or inserted
 * before the offset, versions appended to the feed).
 * Every version current throughout a run that completed must be in the raw zone once; any other version the API
 * made may be (at most once).
 * One seed in four adds a tie group (contacts sharing one {@code updated_at}) larger than a
 * small {@code PULL_SEEN_CAP}, with every seen set kept in its own object, so crashes land around that object's
 * write; those seeds stamp updates at the present, since a cap that small narrows the lookback below late ones.
 * On one {@code updated_since} seed in three, the API ignores its bound in the first attempt of one run (every query
 * then starts at the beginning): records already written come back below the bound and must not be stored again.
 * On one seed in three the API token is an SSM SecureString read at every run, and some attempts' GetParameter calls
 * meet errors first (retried, or failing the source before anything is fetched).
 */
final class PullSimulation implements SourceSimulation {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TOKEN = "sim-token-7d1e";
    private static final String SECRET = "sim/pull/contacts";
    private static final String TOKEN_PARAMETER = "/sim/pull/contacts-token";
    private static final String SOURCES = "sources.json";
    private static final String[] DATASETS = {"contacts", "contacts_b"};
    private static final Instant START = Instant.parse("2026-11-25T08:00:00Z");
    private static final int MAX_ATTEMPTS = 6;
    private static final Pattern EMAIL_ID = Pattern.compile("contact(\\d+)@example\\.com");
    private static final Instant FAR_FUTURE = Instant.parse("2200-01-01T00:00:00Z");
    private static final Duration LOOKBACK = Duration.ofMinutes(10);
    private static final Duration LAMBDA_TIMEOUT = Duration.ofMinutes(15);
    /** The request_timeout of a seed whose API may send a body slowly, so a cut attempt costs about a second. */
    private static final Duration SHORT_REQUEST_TIMEOUT = Duration.ofSeconds(1);
    /** A trickle of a page over three seconds, past the short request_timeout. */
    private static final int TRICKLE_PIECES = 30;
    private static final Duration TRICKLE_PAUSE = Duration.ofMillis(100);
    /**
     * A Retry-After short enough to be waited out for real, yet longer than an attempt with a Lambda timeout of
     * 3.5 s has left: less the reserve of 1 s that is 2.5 s, and a wait is only taken when 1 s for the next request
     * fits after it. The request must start within 1.5 s, while 1 s is left.
     */
    private static final Duration LONG_RETRY_AFTER = Duration.ofSeconds(2);
    private static final Duration SHORT_LAMBDA_TIMEOUT = Duration.ofMillis(3500);
    private static final Pattern NOT_BEFORE = Pattern.compile(
            "not to be called before (\\S+) \\(Retry-After\\), noted in the checkpoint");

    /** How the source pages: by next-page token, by offset, or as a change feed resumed from its cursor. */
    private enum Shape {
        KEYSET, OFFSET, FEED
    }

    private static Faults faults(Lab lab) {
        return new Faults(
            List.of(new CrashTarget("PutObject", "manifests/"), new CrashTarget("PutObject", "manifests/pull/seen/"),
                    new CrashTarget("PutObject", "raw/"),
                    new CrashTarget("PutObject", "quarantine/"), new CrashTarget("GetObject", "manifests/"),
                    new CrashTarget("PutItem", lab.table),
                    new CrashTarget("GetItem", lab.table)),
            List.of(new Calls("PUT raw/", putTo("/" + lab.raw + "/raw/")),
                    new Calls("PUT manifests/", putTo("/" + lab.raw + "/manifests/")),
                    new Calls("DynamoDB UpdateItem", dynamoDb("UpdateItem")),
                    new Calls("DynamoDB PutItem", dynamoDb("PutItem"))));
    }

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
        private final SourceRecords source = new SourceRecords(this::versionIn);
        private final Map<String, String> environment;
        private final Containers<PullIngestHandler> containers;
        private final List<String> story = new ArrayList<>();
        private final ScenarioResult result;
        /** Draws for the API's misbehaviour, apart from {@code random} so that adding them reshuffled no older seed. */
        private final Random misbehaving;
        /** Draws for the slow bodies and the long Retry-After, apart from the others for the same reason. */
        private final Random timing;
        /** This seed's API may trickle a body, against a short request_timeout. */
        private final boolean slowBodies;
        /** This seed's API asks, once, for a Retry-After longer than the time left (then cleared). */
        private boolean longRetryAfter;
        /** This seed's API may send a body that never ends. */
        private final boolean endlessBodies;
        /** Whether, and in which run, the API ignores {@code updated_since}; apart from the others for the same reason. */
        private final Random boundIgnoring;
        private Instant clock = START;
        private int schemaVersion = 1;
        private int pageSize;
        private String dataset = "contacts";
        private boolean echoed;
        private final Shape shape;
        private final boolean ties;
        /** Draws for the token kept in SSM and the faults on reading it, apart from the others for the same reason. */
        private final Random ssmDraws;
        /** This seed's token is an SSM SecureString ({@code ssm:}), read by GetParameter at every run. */
        private final boolean tokenInSsm;

        PullScenario(long seed, Random random, Lab lab, SampleApi api) {
            this.seed = seed;
            this.random = random;
            this.lab = lab;
            this.api = api;
            this.result = new ScenarioResult("pull", seed);
            this.misbehaving = new Random(~seed);
            this.timing = new Random(seed * 0x9E3779B97F4A7C15L); // scrambled: neighbouring seeds draw alike first
            this.slowBodies = timing.nextInt(4) == 0;
            this.longRetryAfter = timing.nextInt(6) == 0;
            this.endlessBodies = timing.nextInt(6) == 0;
            this.boundIgnoring = new Random(seed * 0xC2B2AE3D27D4EB4FL);
            this.shape = Shape.values()[(int) (seed % Shape.values().length)];
            if (shape == Shape.FEED) {
                api.feedEnd(SampleApi.FeedEnd.values()[(int) (seed / Shape.values().length % SampleApi.FeedEnd.values().length)]);
            }
            this.ties = seed % 4 == 0;
            this.ssmDraws = new Random(seed * 0x94D049BB133111EBL);
            this.tokenInSsm = ssmDraws.nextInt(3) == 0;
            if (tokenInSsm) {
                lab.ssm.putParameter(p -> p.name(TOKEN_PARAMETER).value(TOKEN).type(ParameterType.SECURE_STRING)
                        .overwrite(true));
            } else {
                lab.secrets.createSecret(c -> c.name(SECRET).secretString(TOKEN));
            }
            for (String name : DATASETS) {
                lab.putConfig(SimulatedConfig.SCHEMAS + "/" + name + "/v1.json", contactsSchema());
            }
            this.pageSize = 3 + random.nextInt(8);
            publishSources();
            Map<ScenarioSetting, String> settings = new EnumMap<>(Map.of(
                    ScenarioSetting.PULL_SOURCES, Lab.config(SOURCES),
                    ScenarioSetting.SCHEMA_LOCATION, Lab.config(SimulatedConfig.SCHEMAS),
                    ScenarioSetting.PULL_TIME_RESERVE_MS, "1000",
                    ScenarioSetting.PART_MAX_RECORDS, Integer.toString(3 + random.nextInt(8))));
            if (ties) {
                settings.putAll(Map.of(ScenarioSetting.PULL_SEEN_CAP, "4", ScenarioSetting.PULL_SEEN_INLINE_BYTES, "32"));
            }
            Map<String, String> env = lab.functionEnvironment("PullIngestFunction", settings);
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
            story.add(shape == Shape.FEED ? "source: the change feed, ending with " + api.feedEnd()
                    : "source: updated_since, paged by " + (shape == Shape.OFFSET ? "offset" : "next-page token"));
            if (slowBodies) {
                story.add("request_timeout " + SHORT_REQUEST_TIMEOUT + ": the API may trickle a body");
            }
            if (tokenInSsm) {
                story.add("the API token is the SSM parameter " + TOKEN_PARAMETER + ", read at every run");
            }
            int ignoring = shape != Shape.FEED && boundIgnoring.nextInt(3) == 0 ? 1 + boundIgnoring.nextInt(runs - 1) : -1;
            for (int run = 0; run < runs; run++) {
                if (run > 0) {
                    change();
                }
                if (random.nextInt(5) == 0) {
                    overlappingRuns();
                }
                if (run == ignoring) {
                    api.ignoreUpdatedSince(true);
                    story.add("the API ignores updated_since in the first attempt of run " + run);
                }
                scheduledRun(run < runs - 1);
            }
            List<SampleApi.Version> settled = api.current();
            if (!finalRunSkipsEverything()) {
                result.violations.add("a run after everything settled did not skip every version");
            }
            settled.forEach(version -> source.mustLand(version.id() + "@" + version.updatedAt(), null));
            api.versions().forEach(version -> source.mayLand(version.id() + "@" + version.updatedAt(), null));
            if (echoed) {
                checkNoCredentialStored();
            }
            result.settle(story, source, RawZoneAudit.of(lab.s3, lab.raw), started);
            return result;
        }

        /**
         * One schedule tick: the run, retried (as Lambda retries a failed async invoke) until it completes. The
         * attempt that completes vouches for every version current from its start to its end. Unless it is the
         * last tick (what changes under a run is read by the next), the API may change while an attempt pages.
         */
        private void scheduledRun(boolean changesDuringRun) {
            String lastFailure = "";
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                JsonNode pausedToWait = null;
                List<SampleApi.Version> current = api.current();
                String fault = attempt <= 3 && random.nextInt(4) != 0 ? injectFault() : "none";
                boolean askToWait = fault.equals("none") && attempt <= 3 && longRetryAfter;
                int trickledAt = 0;
                int endlessAt = 0;
                if (askToWait) {
                    longRetryAfter = false;
                    fault = askToWaitLong();
                } else if (fault.equals("none") && attempt <= 3 && slowBodies && timing.nextInt(3) < 2) {
                    trickledAt = api.requestCount() + 1 + timing.nextInt(2);
                    api.trickleAt(trickledAt, TRICKLE_PIECES, TRICKLE_PAUSE);
                    fault = "API body trickled at request " + trickledAt;
                } else if (fault.equals("none") && attempt <= 3 && endlessBodies && timing.nextBoolean()) {
                    endlessAt = api.requestCount() + 1 + timing.nextInt(2);
                    api.endlessAt(endlessAt);
                    fault = "API body endless at request " + endlessAt;
                }
                if (changesDuringRun && shape != Shape.KEYSET && random.nextBoolean()) {
                    changeDuringScan();
                }
                PullIngestHandler handler = containers.pick(random);
                try {
                    JsonNode report = invoke(handler, askToWait ? SHORT_LAMBDA_TIMEOUT : LAMBDA_TIMEOUT);
                    clearFaults();
                    JsonNode sourceReport = report.get("sources").get(0);
                    String status = sourceReport.get("status").asText();
                    checkSlowBody(trickledAt, endlessAt, status, sourceReport.path("reason").asText(),
                            sourceReport.path("retries").asInt());
                    if (askToWait) {
                        pausedToWait = sourceReport;
                    }
                    if (status.equals("COMPLETE")) {
                        List<SampleApi.Version> after = api.current();
                        current.stream().filter(after::contains)
                                .forEach(v -> source.mustLand(v.id() + "@" + v.updatedAt(), null));
                        return;
                    }
                    lastFailure = fault + ": run ended " + status;
                } catch (SimulatedCrash crash) {
                    clearFaults();
                    containers.crashed(handler);
                    lastFailure = crash.getMessage();
                } catch (RuntimeException e) {
                    clearFaults();
                    checkSlowBody(trickledAt, endlessAt, "FAILED", e.getMessage(), 0);
                    lastFailure = fault + ": " + e.getMessage();
                }
                result.failedThenRetried++;
                story.add("attempt " + attempt + " failed (" + lastFailure + ")");
                if (pausedToWait != null) {
                    waitOutRetryAfter(handler, pausedToWait);
                }
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

        /**
         * Of an attempt with no other fault, once the slow body was reached: a body sent over three seconds against
         * a {@code request_timeout} of one is cut and the request retried, so the attempt completes after at least
         * one retry, not at the trickle's pace; a body that never ends is cut at the size cap and fails the source.
         */
        private void checkSlowBody(int trickledAt, int endlessAt, String status, String reason, int retries) {
            if (trickledAt > 0 && api.requestCount() >= trickledAt) {
                story.add("request " + trickledAt + " trickled past the request_timeout; the attempt ended " + status
                        + " after " + retries + " retries");
                if (!status.equals("COMPLETE") || retries == 0) {
                    result.violations.add("a body trickled past the request_timeout was not cut and retried to "
                            + "completion: " + status + " after " + retries + " retries " + reason);
                }
            }
            if (endlessAt > 0 && api.requestCount() >= endlessAt) {
                story.add("request " + endlessAt + " answered with an endless body; the attempt ended " + status);
                if (!status.equals("FAILED") || !reason.endsWith("bytes; lower page_size")) {
                    result.violations.add("an endless body was not cut at the size cap: " + status + " " + reason);
                }
            }
        }

        /**
         * The attempt's first request gets a {@code 429} whose {@code Retry-After} is longer than the attempt's time
         * left (it runs with a short Lambda timeout), so the run pauses and notes {@code not_before}.
         */
        private String askToWaitLong() {
            int at = api.requestCount() + 1;
            api.throttleAt(at, (int) LONG_RETRY_AFTER.toSeconds());
            return "API 429 with Retry-After " + LONG_RETRY_AFTER.toSeconds() + " s, more than the time left, "
                    + "at request " + at;
        }

        /**
         * After a run paused on a long {@code Retry-After}: a run before the noted {@code not_before} must pause too
         * and make no request; then the simulation waits for the instant, so the next attempt pulls as usual.
         */
        private void waitOutRetryAfter(PullIngestHandler handler, JsonNode paused) {
            Matcher noted = NOT_BEFORE.matcher(paused.path("reason").asText());
            if (!noted.find()) {
                story.add("the long Retry-After was not reached (" + paused.path("status").asText() + ": "
                        + paused.path("reason").asText() + ")");
                return;
            }
            Instant notBefore = Instant.parse(noted.group(1));
            int requests = api.requestCount();
            JsonNode early = invoke(handler, LAMBDA_TIMEOUT).get("sources").get(0);
            boolean endedBefore = Instant.now().isBefore(notBefore); // else it may rightly have pulled
            if (endedBefore && (!early.get("status").asText().equals("PAUSED") || api.requestCount() != requests)) {
                result.violations.add("a run before not_before " + notBefore + " called the API or did not pause: "
                        + early);
            }
            story.add("paused by a Retry-After until not_before " + notBefore + "; a run before that instant ended "
                    + early.get("status").asText() + " after " + (api.requestCount() - requests) + " requests");
            Duration left = Duration.between(Instant.now(), notBefore);
            if (!left.isNegative()) {
                try {
                    Thread.sleep(left.toMillis() + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** The attempt is over: faults it did not reach (a proxy rule, an API answer scripted for a later request) go. */
        private void clearFaults() {
            Faults.clear(lab.proxy);
            api.clearScripted();
            api.ignoreUpdatedSince(false);
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
            String ssm = tokenInSsm ? ssmFault() : "";
            return ssm + apiOrStorageFault();
        }

        /**
         * On a third of the attempts of a seed whose token is in SSM, its GetParameter meets errors first: 5xx and
         * 429, which the standard retry strategy retries (the run goes on, or fails the source once they outlast its
         * attempts), or a 400 it does not retry (the source fails at once). A failed source writes nothing and leaves
         * the checkpoint where it was, so the next attempt pulls the same records.
         */
        private String ssmFault() {
            if (ssmDraws.nextInt(3) != 0) {
                return "";
            }
            int times = 1 + ssmDraws.nextInt(4);
            int[] statuses = {503, 500, 429, 400};
            String[] codes = {"ServiceUnavailable", "InternalServerError", "ThrottlingException", "ThrottlingException"};
            int kind = ssmDraws.nextInt(statuses.length);
            lab.proxy.fail(request -> "AmazonSSM.GetParameter".equals(request.target()), times, statuses[kind],
                    codes[kind]);
            return "SSM GetParameter " + statuses[kind] + " x" + times + "; ";
        }

        private String apiOrStorageFault() {
            if (random.nextInt(4) > 0) {
                return faults(lab).inject(random, lab.proxy);
            }
            int at = api.requestCount() + 1 + random.nextInt(3);
            if (random.nextInt(3) == 0) {
                return misbehavingBody(at);
            }
            int kind = random.nextInt(3);
            if (kind == 0) {
                api.throttleAt(at, 0);
                return "API 429 at request " + at;
            }
            if (kind == 1) {
                api.repeatAt(at + 1); // a request of this attempt, after another of the same query
                return "API pagination cycle: request " + (at + 1) + " answered as the one before it";
            }
            int times = 1 + random.nextInt(3);
            api.errorAt(at, at + times - 1, 503);
            return "API 503 x" + times + " from request " + at;
        }

        /** A 200 whose body must be refused: not valid in its charset, in a coding not asked for, or echoing the token. */
        private String misbehavingBody(int at) {
            switch (random.nextInt(3)) {
                case 0 -> {
                    api.respondAt(at, 200, Map.of("Content-Type", "application/json; charset=US-ASCII"),
                            "{\"records\":[],\"note\":\"caf\u00e9\"}");
                    return "API page not valid in its charset at request " + at;
                }
                case 1 -> {
                    api.respondAt(at, 200, Map.of("Content-Encoding", "br"), "\u001b\u0003\u0000\u00f8");
                    return "API body in a coding not asked for at request " + at;
                }
                default -> {
                    echoed = true;
                    api.respondAt(at, 200, Map.of(), "{\"records\":[{\"debug\":\"Authorization: Bearer " + TOKEN
                            + " / " + Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8))
                            + "\"}],\"has_more\":false}");
                    return "API page echoing the credential at request " + at;
                }
            }
        }

        /** After an API echoed the token: no object in the raw bucket (gunzipped where gzip) holds it. */
        private void checkNoCredentialStored() {
            String encoded = Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
            for (S3Object object : lab.s3.listObjectsV2Paginator(l -> l.bucket(lab.raw)).contents()) {
                byte[] bytes = lab.s3.getObjectAsBytes(g -> g.bucket(lab.raw).key(object.key())).asByteArray();
                String text = new String(ObjectText.readable(bytes), StandardCharsets.ISO_8859_1);
                if (text.contains(TOKEN) || text.contains(encoded)) {
                    result.violations.add("the API's echo of the credential is stored in " + object.key());
                }
            }
        }

        /**
         * Just before one of the attempt's next requests, the API changes under it: a row moved to the end (an
         * update stamped newest, which shifts the rows after it back by one under an offset) or rows inserted
         * inside the lookback window (which shift the rows after them forward). On the feed, both are appended.
         */
        private void changeDuringScan() {
            int at = api.requestCount() + 2 + random.nextInt(4);
            List<SampleApi.Version> current = api.current();
            if (random.nextBoolean() && !current.isEmpty()) {
                SampleApi.Version moved = current.get(random.nextInt(current.size()));
                clock = clock.plusSeconds(1);
                Instant stamp = clock;
                api.beforeRequest(at, () -> api.update(moved.id(), stamp));
                story.add("at request " + at + " contact " + moved.id() + " is updated to " + stamp);
            } else {
                int count = 1 + random.nextInt(2);
                List<Instant> stamps = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    stamps.add(ties ? clock : clock.minusSeconds(random.nextInt((int) LOOKBACK.toSeconds() / 2)));
                }
                api.beforeRequest(at, () -> stamps.forEach(api::create));
                story.add("at request " + at + " contacts are inserted at " + stamps);
            }
        }

        /** What happens between runs: new contacts, updates (some late, inside the lookback), a config change. */
        private void change() {
            clock = clock.plus(Duration.ofMinutes(5));
            List<SampleApi.Version> current = api.current();
            int updates = random.nextInt(4);
            for (int i = 0; i < updates && !current.isEmpty(); i++) {
                SampleApi.Version version = current.get(random.nextInt(current.size()));
                Instant stamp = random.nextBoolean() || ties ? clock : clock.minus(Duration.ofMinutes(1 + random.nextInt(8)));
                // against the contact as it is now: one picked twice must not get two versions with one stamp
                // (the feed serves both, and id@updated_at could not tell them apart)
                if (stamp.isAfter(Instant.parse(api.currentVersion(version.id()).orElseThrow().updatedAt()))) {
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
            misbehave();
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

        /**
         * Now and then the API serves a new contact without its id or without its {@code updated_at} (each must be
         * quarantined once, however often the lookback re-reads it), or a contact the schema refuses stamped far in
         * the future (it must not lift the lower bound above every contact still to come).
         */
        private void misbehave() {
            int roll = misbehaving.nextInt(6);
            if (roll < 2) {
                clock = clock.plusSeconds(7);
                long id = api.create(clock);
                String field = roll == 0 ? "id" : "updated_at";
                api.omit(id, field);
                story.add("contact " + id + " served without " + field);
            } else if (roll == 2) {
                long id = api.create(FAR_FUTURE);
                api.corrupt(id, "email", 42);
                story.add("contact " + id + " refused by the schema and stamped " + FAR_FUTURE);
            }
        }

        private JsonNode invoke(PullIngestHandler handler) {
            return invoke(handler, LAMBDA_TIMEOUT);
        }

        private JsonNode invoke(PullIngestHandler handler, Duration lambdaTimeout) {
            ScheduledEvent event = new ScheduledEvent();
            event.setDetailType("Scheduled Event");
            event.setSource("aws.events");
            event.setDetail(new HashMap<>(Map.of("source", "contacts")));
            JsonNode report = MAPPER.valueToTree(handler.handleRequest(event,
                    new FakeContext("PullIngestFunction", lambdaTimeout)));
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
            source.put("name", "contacts").put("dataset", dataset)
                    .put("endpoint", (shape == Shape.FEED ? api.changesEndpoint() : api.endpoint()).toString())
                    .put("page_size", pageSize).put("page_size_param", "limit").put("records_field", "records")
                    .put("id_field", "id").put("max_attempts", 3)
                    .put("request_timeout", slowBodies ? SHORT_REQUEST_TIMEOUT.toString() : "PT5S");
            source.putObject("auth").put("type", "bearer")
                    .put("secret", tokenInSsm ? "ssm:" + TOKEN_PARAMETER : "secretsmanager:" + SECRET);
            switch (shape) {
                case FEED -> source.putObject("cursor").put("kind", "page_token").put("field", "next_cursor")
                        .put("param", "cursor").put("has_more_field", "has_more");
                case OFFSET -> {
                    timestampCursor(source);
                    source.putObject("pagination").put("style", "offset").put("param", "offset");
                }
                case KEYSET -> {
                    timestampCursor(source);
                    source.putObject("pagination").put("style", "next_token").put("param", "page_token")
                            .put("token_field", "next_page_token").put("has_more_field", "has_more");
                }
            }
            ObjectNode root = MAPPER.createObjectNode();
            root.putArray("sources").add(source);
            lab.putConfig(SOURCES, root.toString());
        }

        private static void timestampCursor(ObjectNode source) {
            source.putObject("cursor").put("kind", "timestamp").put("field", "updated_at")
                    .put("param", "updated_since").put("lookback", LOOKBACK.toString());
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

        /**
         * {@code id@updated_at} of a stored contact: a data line, or a quarantine entry's record or raw text. A
         * contact served without its id is known by its email, one served without {@code updated_at} by its version.
         */
        Optional<String> versionIn(String text) {
            try {
                JsonNode node = MAPPER.readTree(text.getBytes(StandardCharsets.UTF_8));
                JsonNode record = node.has("record") ? node.get("record")
                        : node.has("raw") ? MAPPER.readTree(node.get("raw").asText()) : node;
                if (record == null || !record.isObject()) {
                    return Optional.empty();
                }
                Optional<Long> id = record.has("id") ? Optional.of(record.get("id").asLong()) : idFromEmail(record);
                if (id.isEmpty()) {
                    return Optional.empty();
                }
                if (record.has("updated_at")) {
                    return Optional.of(id.get() + "@" + record.get("updated_at").asText());
                }
                int version = record.path("version").asInt();
                return api.history(id.get()).stream().filter(v -> v.version() == version).findFirst()
                        .map(v -> v.id() + "@" + v.updatedAt());
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        private static Optional<Long> idFromEmail(JsonNode record) {
            Matcher matcher = EMAIL_ID.matcher(record.path("email").asText());
            return matcher.matches() ? Optional.of(Long.parseLong(matcher.group(1))) : Optional.empty();
        }
    }
}
