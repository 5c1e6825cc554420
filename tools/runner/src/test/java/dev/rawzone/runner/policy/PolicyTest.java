package dev.rawzone.runner.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.runner.policy.FunctionCode.ActionUse;
import dev.rawzone.runner.policy.StackFunction.Grant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The template's permissions and environment against the code each function deploys. template.yaml is read as
 * CloudFormation will see it (after the SAM translator, with its conditions decided for each configuration
 * below); the code is read from each function's jar (its CodeUri, built by {@code mvn package}) from the handler
 * outwards: the project's classes it reaches, the AWS SDK client methods they call, their string literals.
 * <ul>
 *   <li>No role allows a wildcard action, or any action on {@code Resource: "*"} of a data store.</li>
 *   <li>Every environment variable the code reads is set by the function's template, and every one the
 *       template sets is read, by the code, a library in the jar, or the JVM.</li>
 *   <li>Every IAM action the code's SDK calls need (see {@link SdkActions} for how a call maps to actions) is
 *       allowed by the function's role, and every action the role allows is needed: by the code, by Lambda for
 *       the function (event source mappings, on-failure destinations), or by S3 for it (KMS, with SSE-KMS).</li>
 * </ul>
 * Actions are compared per role, not per resource; the resources are the template's to scope (the first check
 * keeps them from being "*").
 */
class PolicyTest {
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Set<String> DATA_STORES = Set.of("s3", "dynamodb", "kinesis", "sqs", "secretsmanager", "ssm", "kms");
    /** Actions IAM cannot scope to a resource, which read no data. */
    private static final Map<String, String> UNSCOPED = Map.of(
            "kinesis:ListStreams", "the Kinesis event source mapping lists streams; the action has no resource-level scope");
    /** Read by the code with a default the template leaves alone (tuning a deployment may set them). */
    private static final Map<String, String> DEFAULTED = Map.of(
            "PART_MAX_RECORDS", "PartPolicy.defaults()",
            "PART_MAX_BYTES", "PartPolicy.defaults()",
            "PART_GZIP_LEVEL", "PartPolicy.defaults()",
            "PULL_SEEN_CAP", "SourcePuller.DEFAULT_SEEN_CAP",
            "PULL_MAX_QUERY_PAGES", "SourcePuller.DEFAULT_MAX_QUERY_PAGES",
            "PULL_SEEN_INLINE_BYTES", "SourcePuller.DEFAULT_SEEN_INLINE_BYTES");
    /** Where each replay mode starts: a function not running a mode is not followed into it. */
    private static final Map<String, String> MODE_ENTRIES = Map.of(
            "verify", "dev/rawzone/core/replay/verify/VerifyUnits",
            "redrive", "dev/rawzone/core/replay/redrive/RedriveUnits",
            "rebuild", "dev/rawzone/core/replay/rebuild/RebuildUnits");
    /**
     * What a class reaches but a function with fewer modes never calls: ReplayWiring builds the checkpoint store,
     * the secret resolver, the pull sources and the failure queues for every mode, and verify-only uses none.
     * Each entry must still be found, or it is reported as stale.
     */
    private static final Map<String, String> WIRED_NOT_CALLED = Map.ofEntries(
            Map.entry("ReplayVerifyFunction secretsmanager:GetSecretValue", "redrive of pulled pages"),
            Map.entry("ReplayVerifyFunction ssm:GetParameter", "redrive of pulled pages"),
            Map.entry("ReplayVerifyFunction dynamodb:GetItem", "redrive moves checkpoints"),
            Map.entry("ReplayVerifyFunction dynamodb:PutItem", "redrive moves checkpoints"),
            Map.entry("ReplayVerifyFunction s3:AbortMultipartUpload", "redrive quarantines whole objects"),
            Map.entry("ReplayVerifyFunction sqs:ReceiveMessage", "redrive drains the failure queues"),
            Map.entry("ReplayVerifyFunction sqs:DeleteMessage", "redrive drains the failure queues"),
            Map.entry("ReplayVerifyFunction sqs:GetQueueAttributes", "redrive drains the failure queues"),
            Map.entry("ReplayVerifyFunction CHECKPOINT_TABLE", "redrive moves checkpoints"),
            Map.entry("ReplayVerifyFunction PULL_SOURCES", "redrive of pulled pages"),
            Map.entry("ReplayVerifyFunction S3_DEAD_LETTER_QUEUE_URL", "redrive drains it"),
            Map.entry("ReplayVerifyFunction STREAM_FAILURE_QUEUE_URL", "redrive drains it"),
            Map.entry("ReplayVerifyFunction PULL_DEAD_LETTER_QUEUE_URL", "redrive drains it"),
            // IngestSettings reads it for every function; the pull function routes by its sources instead.
            Map.entry("PullIngestFunction INGEST_CONFIG", "pulled records are routed by PULL_SOURCES"));
    /** Read by the JVM itself, not by any class. */
    private static final Set<String> JVM = Set.of("JAVA_TOOL_OPTIONS");
    /** A missing object is a 404 only with s3:ListBucket; without it S3 answers 403 and the code cannot tell. */
    private static final String LIST_FOR_404 = "s3:ListBucket";

    private static JsonNode transformed;
    private static final Map<String, FunctionCode> CODE = new HashMap<>();

    @BeforeAll
    static void transform() throws Exception {
        transformed = TransformedTemplate.transform(ROOT.resolve("template.yaml"));
    }

    static Stream<Map<String, String>> configurations() {
        return Stream.of(Map.of(), Map.of("BucketEncryption", "SSE-KMS", "SchemaLocation", "s3://team-config/schemas/raw",
                "ExistingStreamArn", "arn:aws:kinesis:eu-west-1:123456789012:stream/orders"));
    }

    @ParameterizedTest(name = "parameters {0}")
    @MethodSource("configurations")
    void noRoleAllowsAWildcardActionOrEveryResourceOfADataStore(Map<String, String> parameters) {
        TransformedTemplate template = TransformedTemplate.decided(transformed, parameters);
        List<String> findings = new ArrayList<>();
        template.resources().fields().forEachRemaining(entry -> {
            if (!entry.getValue().path("Type").asText().equals("AWS::IAM::Role")) {
                return;
            }
            for (Grant grant : StackFunction.roleGrants(template, entry.getKey())) {
                String service = grant.action().replaceAll(":.*$", "");
                if (grant.action().contains("*")) {
                    findings.add(entry.getKey() + " allows the wildcard action " + grant.action() + " (" + grant.statement() + ")");
                }
                boolean everyResource = grant.resources().stream().anyMatch(r -> r.asText().equals("*"));
                if (everyResource && DATA_STORES.contains(service) && !UNSCOPED.containsKey(grant.action())) {
                    findings.add(entry.getKey() + " allows " + grant.action() + " on Resource \"*\" (" + grant.statement() + ")");
                }
            }
        });
        assertEquals(List.of(), findings, String.join("\n", findings));
    }

    @ParameterizedTest(name = "parameters {0}")
    @MethodSource("configurations")
    void everyVariableTheCodeReadsIsSetAndEverySetOneIsRead(Map<String, String> parameters) {
        List<String> findings = new ArrayList<>();
        Map<String, String> defaultedRead = new LinkedHashMap<>();
        Set<String> listedFound = new java.util.HashSet<>();
        for (StackFunction function : functions(parameters)) {
            FunctionCode code = code(function);
            Map<String, String> read = code.environmentNames();
            read.forEach((name, where) -> {
                if (DEFAULTED.containsKey(name)) {
                    defaultedRead.put(name, where);
                } else if (!name.startsWith("AWS_") && !function.environment().containsKey(name)) {
                    report(findings, listedFound, function.id(), name,
                            function.id() + " reads " + name + " (" + where + ") but its template Environment lacks it");
                }
            });
            for (String name : function.environment().keySet()) {
                if (!read.containsKey(name) && !JVM.contains(name) && code.classHolding(name).isEmpty()) {
                    findings.add(function.id() + " is given " + name + " by the template but nothing in "
                            + ROOT.relativize(function.jar()) + " reads it");
                }
            }
        }
        DEFAULTED.keySet().stream().filter(name -> !defaultedRead.containsKey(name)).forEach(name ->
                findings.add(name + " is listed as read with a default, but no function reads it any more"));
        staleListed(findings, listedFound, "variables");
        assertEquals(List.of(), findings, String.join("\n", findings));
    }

    @ParameterizedTest(name = "parameters {0}")
    @MethodSource("configurations")
    void everyActionTheCodeCallsIsAllowedAndEveryAllowedOneIsUsed(Map<String, String> parameters) {
        boolean kms = "SSE-KMS".equals(parameters.get("BucketEncryption"));
        List<String> findings = new ArrayList<>();
        Set<String> listedFound = new java.util.HashSet<>();
        for (StackFunction function : functions(parameters)) {
            Map<String, String> needed = new LinkedHashMap<>();
            for (ActionUse use : code(function).actionsUsed()) {
                String where = use.call() + " in " + use.caller();
                needed.putIfAbsent(use.action(), where);
                if (kms) {
                    SdkActions.kmsFor(use.action()).forEach(a -> needed.putIfAbsent(a, "S3 for " + where + " (SSE-KMS)"));
                }
            }
            function.platformActions().forEach((action, resource) -> needed.putIfAbsent(action, "Lambda for " + resource));
            needed.forEach((action, where) -> {
                if (function.grants().stream().noneMatch(g -> matches(g.action(), action))) {
                    report(findings, listedFound, function.id(), action, function.id() + " needs " + action + " ("
                            + where + ") but role " + function.roleId() + " does not allow it");
                }
            });
            boolean reads = needed.containsKey("s3:GetObject");
            for (Grant grant : function.grants()) {
                boolean used = needed.keySet().stream().anyMatch(action -> matches(grant.action(), action))
                        || grant.action().equals(LIST_FOR_404) && reads;
                if (!used) {
                    findings.add(function.id() + " is allowed " + grant.action() + " (" + grant.statement()
                            + ") but neither its code nor Lambda uses it");
                }
            }
        }
        staleListed(findings, listedFound, "actions");
        assertEquals(List.of(), findings, String.join("\n", findings));
    }

    private static List<StackFunction> functions(Map<String, String> parameters) {
        List<StackFunction> functions = StackFunction.all(TransformedTemplate.decided(transformed, parameters), ROOT);
        functions.forEach(f -> assumeTrue(Files.isRegularFile(f.jar()), f.jar() + " is not built (mvn package at the root)"));
        return functions;
    }

    /** A replay function runs only its REPLAY_MODES: the other modes are not followed. */
    private static FunctionCode code(StackFunction function) {
        Set<String> modes = Set.of(function.environment().getOrDefault("REPLAY_MODES", String.join(",",
                MODE_ENTRIES.keySet())).split(","));
        Set<String> excluded = new java.util.TreeSet<>();
        MODE_ENTRIES.forEach((mode, entry) -> {
            if (!modes.contains(mode)) {
                excluded.add(entry);
            }
        });
        return CODE.computeIfAbsent(function.id(), id -> FunctionCode.reachedFrom(function.jar(), function.handlerClass(), excluded));
    }

    /** A finding unless {@link #WIRED_NOT_CALLED} lists it; a listed one is crossed off as found. */
    private static void report(List<String> findings, Set<String> listedFound, String function, String what, String finding) {
        if (WIRED_NOT_CALLED.containsKey(function + " " + what)) {
            listedFound.add(function + " " + what);
        } else {
            findings.add(finding);
        }
    }

    private static void staleListed(List<String> findings, Set<String> listedFound, String kind) {
        WIRED_NOT_CALLED.keySet().stream().filter(key -> key.contains(":") == kind.equals("actions"))
                .filter(key -> !listedFound.contains(key)).forEach(key -> findings.add(key
                        + " is listed as wired but never called, but the code no longer reaches it"));
    }

    /** IAM's action match: case-insensitive, {@code *} for any characters. */
    private static boolean matches(String granted, String action) {
        String pattern = "(?i)" + java.util.regex.Pattern.quote(granted).replace("*", "\\E.*\\Q");
        return action.matches(pattern);
    }
}
