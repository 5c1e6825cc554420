package dev.rawzone.runner.operations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.runner.glue.CfnYaml;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * template.yaml's alarms and dashboard, read as written (no resolver): every function, failure queue, stream
 * consumer, pulled source and state machine is watched and notifies the alarm topic; every metric an alarm or a
 * dashboard widget names is one AWS publishes or one the code emits, with dimensions that name the template's
 * resources, the functions' services and the datasets the template routes.
 */
class AlarmsAndDashboardTest {
    private static final Path ROOT = Path.of("..", "..");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String NAMESPACE = "rawzone"; // POWERTOOLS_METRICS_NAMESPACE
    private static final Map<String, Set<String>> AWS_METRICS = Map.of(
            "AWS/Lambda", Set.of("Errors", "Throttles", "Duration", "Invocations", "IteratorAge", "ConcurrentExecutions",
                    "DeadLetterErrors", "DestinationDeliveryFailures", "AsyncEventAge", "AsyncEventsDropped"),
            "AWS/SQS", Set.of("ApproximateNumberOfMessagesVisible", "ApproximateNumberOfMessagesNotVisible",
                    "ApproximateAgeOfOldestMessage", "NumberOfMessagesSent", "NumberOfMessagesReceived",
                    "NumberOfMessagesDeleted"),
            "AWS/Kinesis", Set.of("GetRecords.IteratorAgeMilliseconds", "IncomingRecords",
                    "ReadProvisionedThroughputExceeded", "WriteProvisionedThroughputExceeded"),
            "AWS/States", Set.of("ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut",
                    "ExecutionsAborted", "ExecutionThrottled", "ExecutionsRedriven"));
    private static final Set<String> PER_DATASET = Set.of("RecordsIn", "RecordsWritten", "RecordsQuarantined",
            "RecordsDuplicate", "RecordsFailed", "BytesWritten", "PartsWritten");
    // Verify only reads: its counts are the records it checked, it quarantines nothing.
    private static final Set<String> QUARANTINES_NOTHING = Set.of("ReplayVerifyFunction");
    // An alarm's Ref is its name; the emulator's CloudFormation creates no alarms, so a GetAtt of one would fail there.
    private static final String ALARM_ARN = "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:";
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9]+)(?:\\.([A-Za-z]+))?}");

    static JsonNode template;
    static JsonNode resources;
    static Set<String> emitted;
    static Map<String, String> services = new LinkedHashMap<>();
    static Map<String, Set<String>> datasets = new LinkedHashMap<>();
    static Set<String> pulledSources = new TreeSet<>();

    @BeforeAll
    static void read() throws IOException {
        template = CfnYaml.parse(Files.readString(ROOT.resolve("template.yaml")));
        resources = template.get("Resources");
        emitted = EmittedMetricNames.in(ROOT);
        for (String function : ofType("AWS::Serverless::Function")) {
            JsonNode env = resources.get(function).at("/Properties/Environment/Variables");
            String service = env.path("POWERTOOLS_SERVICE_NAME").asText(
                    template.at("/Globals/Function/Environment/Variables/POWERTOOLS_SERVICE_NAME").asText());
            services.put(function, service);
            datasets.put(function, routedDatasets(function, env));
        }
    }

    @Test
    void theCodeEmitsTheMetricsTheOperationsNeed() {
        assertTrue(emitted.containsAll(PER_DATASET), "read from the code: " + emitted);
        assertTrue(emitted.containsAll(Set.of("CheckpointAgeSeconds", "RecordAge", "Continuations")), emitted.toString());
    }

    @Test
    void everyFunctionHasAnErrorsAlarmAndEveryFunctionThatQuarantinesAQuarantineRateAlarm() {
        for (String function : services.keySet()) {
            assertAlarmed("AWS/Lambda", "Errors", Map.of("FunctionName", "${" + function + "}"), function);
            if (!QUARANTINES_NOTHING.contains(function)) {
                Map<String, String> service = Map.of("service", services.get(function));
                assertQuarantineRate(assertAlarmed(NAMESPACE, "RecordsQuarantined", service, function), service, function);
            }
        }
    }

    @Test
    void everyQueueThatHoldsFailedWorkHasADepthAlarm() {
        Set<String> queues = failureQueues();
        assertTrue(queues.size() >= 4, "the S3, continuation, Kinesis and pull failure queues: " + queues);
        for (String queue : queues) {
            assertAlarmed("AWS/SQS", "ApproximateNumberOfMessagesVisible", Map.of("QueueName", "${" + queue + ".QueueName}"),
                    queue);
        }
    }

    @Test
    void streamConsumersPulledSourcesAndStateMachinesHaveTheirLagAndFailureAlarms() {
        for (String mapping : ofType("AWS::Lambda::EventSourceMapping")) {
            JsonNode properties = resources.get(mapping).get("Properties");
            if (properties.has("StartingPosition")) { // a stream, not a queue
                String function = properties.path("FunctionName").path("Ref").asText().split("\\.")[0];
                assertAlarmed("AWS/Lambda", "IteratorAge", Map.of("FunctionName", "${" + function + "}"), function);
            }
        }
        assertFalse(pulledSources.isEmpty());
        for (String source : pulledSources) {
            JsonNode alarm = assertAlarmed(NAMESPACE, "CheckpointAgeSeconds", Map.of("service", "pull-ingest", "source", source),
                    source);
            assertEquals("breaching", alarm.path("TreatMissingData").asText(), "no run reported is as bad as an old checkpoint");
        }
        for (String machine : ofType("AWS::StepFunctions::StateMachine")) {
            assertAlarmed("AWS/States", "ExecutionsFailed", Map.of("StateMachineArn", "${" + machine + "}"), machine);
        }
    }

    @Test
    void everyAlarmNamesAnExistingMetricNotifiesTheTopicAndSaysWhatNoDataMeans() {
        for (String id : ofType("AWS::CloudWatch::Alarm")) {
            JsonNode alarm = resources.get(id).get("Properties");
            String where = "alarm " + id;
            assertFalse(watched(alarm).isEmpty(), where + " watches no metric");
            for (JsonNode metric : watched(alarm)) {
                assertMetric(metric.path("Namespace").asText(), metric.path("MetricName").asText(), dimensions(metric),
                        MAPPER.createObjectNode(), where);
            }
            for (String actions : List.of("AlarmActions", "OKActions")) {
                JsonNode choice = alarm.path(actions).path("Fn::If");
                assertEquals("[{\"Ref\":\"AlarmTopicArn\"}]", choice.path(1).toString(), where + " " + actions);
                assertEquals("AWS::NoValue", choice.path(2).path("Ref").asText(), where + " " + actions);
                JsonNode topicCondition = template.path("Conditions").path(choice.path(0).asText());
                assertTrue(topicCondition.toString().contains("AlarmTopicArn"), where + ": " + choice.path(0));
            }
            assertTrue(Set.of("notBreaching", "breaching").contains(alarm.path("TreatMissingData").asText()),
                    where + " says what missing data means");
        }
        assertTrue(ofType("AWS::CloudWatch::Alarm").size() >= 17, "alarms: " + ofType("AWS::CloudWatch::Alarm"));
    }

    @Test
    void theDashboardNamesOnlyTheTemplatesResourcesAndMetricsThatExist() throws IOException {
        JsonNode sub = dashboard().path("DashboardBody").path("Fn::Sub");
        String text = sub.isArray() ? sub.get(0).asText() : sub.asText();
        JsonNode variables = sub.isArray() ? sub.get(1) : MAPPER.createObjectNode();
        Matcher named = SUB_VARIABLE.matcher(text);
        while (named.find()) {
            String id = named.group(1).split("\\.")[0];
            assertTrue(id.startsWith("AWS::") || variables.has(id) || resources.has(id) || template.at("/Parameters").has(id),
                    "${" + named.group(1) + "} names nothing in the template");
        }
        JsonNode body = MAPPER.readTree(text);
        List<JsonNode> rows = body.findValues("metrics").stream().flatMap(m -> items(m).stream()).toList();
        assertFalse(rows.isEmpty());
        for (JsonNode row : rows) {
            Map<String, String> dimensions = new LinkedHashMap<>();
            for (int i = 2; i + 1 < row.size() && row.get(i).isTextual(); i += 2) {
                dimensions.put(row.get(i).asText(), row.get(i + 1).asText());
            }
            assertMetric(row.get(0).asText(), row.get(1).asText(), dimensions, variables, "dashboard row " + row);
        }
        Set<String> shownAlarms = new HashSet<>();
        body.findValues("alarms").forEach(list -> list.forEach(alarm -> shownAlarms.add(alarm.asText())));
        for (String alarm : ofType("AWS::CloudWatch::Alarm")) {
            assertTrue(shownAlarms.contains(ALARM_ARN + "${" + alarm + "}"), alarm + " is not in the dashboard's alarm widget");
        }
    }

    @Test
    void theDashboardShowsEveryFunctionEveryRoutedDatasetAndEveryFailureQueue() throws IOException {
        List<JsonNode> rows = MAPPER.readTree(dashboardText()).findValues("metrics").stream()
                .flatMap(m -> items(m).stream()).toList();
        Set<String> shown = new HashSet<>();
        rows.forEach(row -> shown.add(row.toString()));
        for (String function : services.keySet()) {
            for (String metric : List.of("Errors", "Throttles", "Duration")) {
                assertTrue(rows.stream().anyMatch(r -> r.get(1).asText().equals(metric)
                        && r.toString().contains("\"FunctionName\",\"${" + function + "}\"")), function + " " + metric);
            }
            String service = services.get(function);
            for (String dataset : fedBySource(function) ? datasets.get(function) : Set.<String>of()) {
                for (String metric : PER_DATASET) {
                    assertTrue(shown.stream().anyMatch(r -> r.startsWith("[\"" + NAMESPACE + "\",\"" + metric
                                    + "\",\"service\",\"" + service + "\",\"dataset\",\"" + dataset + "\"")),
                            metric + " of " + service + " for dataset " + dataset + " is not on the dashboard");
                }
            }
            assertTrue(shown.stream().anyMatch(r -> r.startsWith("[\"" + NAMESPACE + "\",\"RecordsIn\",\"service\",\""
                    + service + "\"")), service + " records are not on the dashboard");
        }
        assertEquals(Set.of("orders", "customers"), datasets.get("S3IngestFunction"), "S3's routes");
        assertEquals(Set.of("contacts"), datasets.get("PullIngestFunction"), "the pull sources' datasets");
        for (String queue : failureQueues()) {
            assertTrue(shown.stream().anyMatch(r -> r.contains("\"QueueName\",\"${" + queue + ".QueueName}\"")), queue);
        }
    }

    private static void assertMetric(String namespace, String metric, Map<String, String> dimensions, JsonNode variables,
                                     String where) {
        Set<String> known = namespace.equals(NAMESPACE) ? emitted : AWS_METRICS.get(namespace);
        assertTrue(known != null && known.contains(metric), where + ": no metric " + namespace + " " + metric
                + (namespace.equals(NAMESPACE) ? " is emitted by the code (it emits " + emitted + ")" : ""));
        assertFalse(dimensions.isEmpty(), where + " has no dimensions");
        dimensions.forEach((name, value) -> {
            String problem = switch (name) {
                case "FunctionName" -> resourceOfType(value, null, "AWS::Serverless::Function");
                case "QueueName" -> resourceOfType(value, "QueueName", "AWS::SQS::Queue");
                case "StateMachineArn" -> resourceOfType(value, null, "AWS::StepFunctions::StateMachine");
                case "StreamName" -> namesAStream(value, variables) ? null : "not a Kinesis stream of the template";
                case "service" -> services.containsValue(value) ? null : "no function's POWERTOOLS_SERVICE_NAME";
                case "dataset" -> datasets.values().stream().anyMatch(d -> d.contains(value)) ? null : "not a routed dataset";
                case "source" -> pulledSources.contains(value) ? null : "not a pulled source";
                default -> "an unknown dimension";
            };
            if (problem != null) {
                fail(where + ": " + name + "=" + value + " is " + problem);
            }
        });
    }

    /** {@code ${Stream}}, or a variable of the body's !Sub that refers to the stream (the created one, or the given ARN's). */
    private static boolean namesAStream(String value, JsonNode variables) {
        Matcher reference = REFERENCE.matcher(value);
        if (!reference.matches()) {
            return false;
        }
        JsonNode variable = variables.path(reference.group(1));
        List<JsonNode> refs = variable.isMissingNode() ? List.of(MAPPER.createObjectNode().put("Ref", reference.group(1)))
                : variable.findParents("Ref");
        return refs.stream().anyMatch(r -> "AWS::Kinesis::Stream".equals(resources.path(r.get("Ref").asText()).path("Type").asText()));
    }

    private static String resourceOfType(String value, String attribute, String type) {
        Matcher reference = REFERENCE.matcher(value);
        if (!reference.matches()) {
            return "not a reference to a resource";
        }
        String id = reference.group(1);
        if (!type.equals(resources.path(id).path("Type").asText())) {
            return "not a " + type + " of the template";
        }
        return Objects.equals(attribute, reference.group(2)) ? null : "not its " + (attribute == null ? "Ref" : attribute);
    }

    /** The alarm on this metric with exactly these dimensions (references written as {@code ${Id}}, {@code ${Id.Attr}}). */
    private static JsonNode assertAlarmed(String namespace, String metric, Map<String, String> dimensions, String what) {
        Optional<JsonNode> alarm = alarms().filter(a -> watchedId(a, namespace, metric, dimensions).isPresent()).findFirst();
        assertTrue(alarm.isPresent(), what + " has no alarm on " + namespace + " " + metric + " " + dimensions);
        return alarm.get();
    }

    /**
     * A rate, not a count (DESIGN.md section 5): the only figure the alarm compares is 100 * quarantined / records in,
     * for the same service, and only once enough records came in for a percentage to mean something.
     */
    private static void assertQuarantineRate(JsonNode alarm, Map<String, String> service, String function) {
        String where = function + "'s quarantine alarm";
        String quarantined = watchedId(alarm, NAMESPACE, "RecordsQuarantined", service).orElseThrow();
        Optional<String> records = watchedId(alarm, NAMESPACE, "RecordsIn", service);
        assertTrue(records.isPresent(), where + " does not read the records in of " + service);
        List<JsonNode> returned = items(alarm.path("Metrics")).stream().filter(m -> m.path("ReturnData").asBoolean(true)).toList();
        assertEquals(1, returned.size(), where + " compares one figure: " + returned);
        JsonNode expression = returned.get(0).path("Expression");
        String text = expression.path("Fn::Sub").asText(expression.asText()).replace(" ", "");
        assertTrue(text.contains("100*" + quarantined + "/" + records.get()), where + ": " + text);
        assertTrue(text.contains(records.get() + ">=${QuarantineAlarmMinRecords}"), where + " has no minimum of records: " + text);
        assertEquals("QuarantineRatePercent", alarm.path("Threshold").path("Ref").asText(), where + "'s threshold");
        List.of("QuarantineRatePercent", "QuarantineAlarmMinRecords").forEach(parameter ->
                assertTrue(template.at("/Parameters/" + parameter + "/Description").isTextual(), parameter + " is described"));
    }

    /** The metrics an alarm reads: its own MetricName, or each MetricStat of its metric math. */
    private static List<JsonNode> watched(JsonNode alarm) {
        if (alarm.has("MetricName")) {
            return List.of(alarm);
        }
        return items(alarm.path("Metrics")).stream().filter(m -> m.has("MetricStat")).map(m -> m.at("/MetricStat/Metric")).toList();
    }

    /** The id an alarm's metric math gives this metric ("" for an alarm on one metric), if the alarm reads it. */
    private static Optional<String> watchedId(JsonNode alarm, String namespace, String metric, Map<String, String> dimensions) {
        if (alarm.has("MetricName")) {
            return matches(alarm, namespace, metric, dimensions) ? Optional.of("") : Optional.empty();
        }
        return items(alarm.path("Metrics")).stream().filter(m -> matches(m.at("/MetricStat/Metric"), namespace, metric, dimensions))
                .map(m -> m.path("Id").asText()).findFirst();
    }

    private static boolean matches(JsonNode watched, String namespace, String metric, Map<String, String> dimensions) {
        return watched.path("Namespace").asText().equals(namespace) && watched.path("MetricName").asText().equals(metric)
                && dimensions(watched).equals(dimensions);
    }

    private static Map<String, String> dimensions(JsonNode metric) {
        Map<String, String> dimensions = new LinkedHashMap<>();
        metric.path("Dimensions").forEach(d -> dimensions.put(d.path("Name").asText(), reference(d.get("Value"))));
        return dimensions;
    }

    private static String reference(JsonNode value) {
        if (value.has("Ref")) {
            return "${" + value.get("Ref").asText() + "}";
        }
        if (value.has("Fn::GetAtt")) {
            JsonNode getAtt = value.get("Fn::GetAtt");
            return "${" + (getAtt.isArray() ? getAtt.get(0).asText() + "." + getAtt.get(1).asText() : getAtt.asText()) + "}";
        }
        return value.asText();
    }

    /** A function a source invokes (an event, or an event source mapping): it emits its figures per dataset. */
    private static boolean fedBySource(String function) {
        return resources.get(function).at("/Properties").has("Events") || ofType("AWS::Lambda::EventSourceMapping").stream()
                .anyMatch(m -> resources.get(m).at("/Properties/FunctionName/Ref").asText().startsWith(function + "."));
    }

    /** Queues named as a dead-letter target or on-failure destination anywhere in the template. */
    private static Set<String> failureQueues() {
        Set<String> queues = new TreeSet<>();
        for (String key : List.of("Destination", "deadLetterTargetArn", "TargetArn")) {
            for (JsonNode target : resources.findValues(key)) {
                Matcher queue = REFERENCE.matcher(reference(target));
                if (queue.matches() && "Arn".equals(queue.group(2))
                        && "AWS::SQS::Queue".equals(resources.path(queue.group(1)).path("Type").asText())) {
                    queues.add(queue.group(1));
                }
            }
        }
        return queues;
    }

    /** The datasets a function's routing configuration names: its bundled INGEST_CONFIG, or its PULL_SOURCES parameter. */
    private static Set<String> routedDatasets(String function, JsonNode env) throws IOException {
        Set<String> found = new TreeSet<>();
        String config = env.path("INGEST_CONFIG").asText();
        Path module = ROOT.resolve(resources.get(function).at("/Properties/CodeUri").asText()).getParent().getParent();
        Path bundled = module.resolve("src/main/resources").resolve(config.replaceFirst("^classpath:", ""));
        if (config.startsWith("classpath:") && Files.isRegularFile(bundled)) {
            collectDatasets(MAPPER.readTree(Files.readString(bundled)), found);
        }
        Matcher parameter = REFERENCE.matcher(env.path("PULL_SOURCES").path("Fn::Sub").asText().replaceFirst("^ssm:", ""));
        if (parameter.matches()) {
            JsonNode value = resources.get(parameter.group(1)).at("/Properties/Value");
            String json = SUB_VARIABLE.matcher(value.path("Fn::Sub").asText(value.asText())).replaceAll("x");
            JsonNode sources = MAPPER.readTree(json);
            collectDatasets(sources, found);
            sources.findValues("name").forEach(name -> pulledSources.add(name.asText()));
        }
        return found;
    }

    private static void collectDatasets(JsonNode config, Set<String> into) {
        config.findValues("dataset").stream().filter(JsonNode::isTextual).forEach(d -> into.add(d.asText()));
        config.findValues("datasets").forEach(map -> map.forEach(d -> into.add(d.asText())));
    }

    private static JsonNode dashboard() {
        List<String> dashboards = ofType("AWS::CloudWatch::Dashboard");
        assertEquals(1, dashboards.size(), "one dashboard: " + dashboards);
        return resources.get(dashboards.get(0)).get("Properties");
    }

    private static String dashboardText() {
        JsonNode sub = dashboard().path("DashboardBody").path("Fn::Sub");
        return sub.isArray() ? sub.get(0).asText() : sub.asText();
    }

    private static Stream<JsonNode> alarms() {
        return ofType("AWS::CloudWatch::Alarm").stream().map(id -> resources.get(id).get("Properties"));
    }

    private static List<String> ofType(String type) {
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, JsonNode> resource : resources.properties()) {
            if (type.equals(resource.getValue().path("Type").asText())) {
                ids.add(resource.getKey());
            }
        }
        return ids;
    }

    private static List<JsonNode> items(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }
}
