package dev.rawzone.functions.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Runs a state machine definition the way Step Functions would, for the states and JSONPath forms the replay
 * definition uses, and fails on any other (so the test cannot pass over something it does not model): Pass
 * (Parameters or Result), Task ({@code lambda:invoke}: Parameters, ResultSelector), Choice (StringEquals,
 * NumericEquals), a Distributed Map (ItemReader over one JSON object in S3, ItemSelector, ItemProcessor,
 * ToleratedFailurePercentage, ResultWriter writing {@code manifest.json} and {@code SUCCEEDED_0.json} /
 * {@code FAILED_0.json} as documented), Succeed and Fail (ErrorPath / CausePath); ResultPath and OutputPath on
 * {@code $.field}; paths {@code $}, {@code $.a.b}, {@code $$.a.b}; the intrinsics States.JsonMerge (shallow) and
 * States.StringToJson. Items run one after another, once: retries are Step Functions' own and not modelled.
 */
final class LocalStateMachine {
    /** What a Task state sent. */
    record Invocation(String state, String function, JsonNode payload) {
    }

    /** A state's failure (a function error, a Fail state, a map past its tolerance), as Step Functions names it. */
    static final class Failure extends RuntimeException {
        final String error;
        final String cause;

        Failure(String error, String cause) {
            super(error + ": " + cause);
            this.error = error;
            this.cause = cause;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonNode definition;
    /** By ARN: a function's response to a payload, or an exception for a function error. */
    private final Map<String, Function<JsonNode, JsonNode>> functions;
    private final S3Client s3;
    private final List<Invocation> invocations = new ArrayList<>();

    LocalStateMachine(JsonNode definition, Map<String, Function<JsonNode, JsonNode>> functions, S3Client s3) {
        this.definition = definition;
        this.functions = functions;
        this.s3 = s3;
    }

    /** @throws Failure when the execution fails, with its error and cause */
    JsonNode execute(String name, JsonNode input) {
        return run(definition, input, context(name));
    }

    List<Invocation> invocations() {
        return List.copyOf(invocations);
    }

    private JsonNode run(JsonNode machine, JsonNode input, ObjectNode context) {
        String name = machine.get("StartAt").asText();
        while (true) {
            JsonNode state = machine.path("States").get(name);
            String type = state.get("Type").asText();
            if (type.equals("Succeed")) {
                return input;
            }
            JsonNode output = switch (type) {
                case "Pass" -> output(state, input, state.has("Parameters") ? template(state.get("Parameters"), input,
                        context) : state.has("Result") ? state.get("Result") : input, context);
                case "Task" -> task(name, state, input, context);
                case "Map" -> map(state, input, context);
                case "Choice" -> input;
                case "Fail" -> throw new Failure(text(state, "Error", input, context), text(state, "Cause", input, context));
                default -> throw new IllegalStateException("state " + name + " is of a type not modelled here");
            };
            if (state.path("End").asBoolean()) {
                return output;
            }
            name = type.equals("Choice") ? choose(state, input, context) : state.get("Next").asText();
            input = output;
        }
    }

    private JsonNode task(String name, JsonNode state, JsonNode input, ObjectNode context) {
        if (!state.get("Resource").asText().endsWith(":states:::lambda:invoke")) {
            throw new IllegalStateException("task " + name + " is not a lambda:invoke");
        }
        JsonNode parameters = template(state.get("Parameters"), input, context);
        String function = parameters.get("FunctionName").asText();
        invocations.add(new Invocation(name, function, parameters.get("Payload")));
        Function<JsonNode, JsonNode> lambda = functions.get(function);
        if (lambda == null) {
            throw new IllegalStateException("task " + name + " invokes " + function + ", which the test does not have");
        }
        JsonNode response;
        try {
            response = lambda.apply(parameters.get("Payload"));
        } catch (RuntimeException e) {
            ObjectNode error = MAPPER.createObjectNode().put("errorMessage", e.getMessage())
                    .put("errorType", e.getClass().getName());
            error.putArray("stackTrace");
            throw new Failure(e.getClass().getName(), error.toString());
        }
        ObjectNode result = MAPPER.createObjectNode().put("StatusCode", 200);
        result.set("Payload", response);
        JsonNode selected = state.has("ResultSelector") ? template(state.get("ResultSelector"), result, context) : result;
        return output(state, input, selected, context);
    }

    private JsonNode map(JsonNode state, JsonNode input, ObjectNode context) {
        JsonNode reader = state.get("ItemReader");
        if (!reader.get("Resource").asText().endsWith(":states:::s3:getObject")
                || !reader.at("/ReaderConfig/InputType").asText().equals("JSON")) {
            throw new IllegalStateException("only a JSON ItemReader on s3:getObject is modelled");
        }
        JsonNode where = template(reader.get("Parameters"), input, context);
        JsonNode items = json(s3.getObjectAsBytes(get -> get.bucket(where.get("Bucket").asText())
                .key(where.get("Key").asText())).asByteArray());
        String mapRun = UUID.nameUUIDFromBytes(context.toString().getBytes(StandardCharsets.UTF_8)).toString();
        ArrayNode succeeded = MAPPER.createArrayNode();
        ArrayNode failed = MAPPER.createArrayNode();
        for (int index = 0; index < items.size(); index++) {
            ObjectNode itemContext = context.deepCopy();
            itemContext.putObject("Map").putObject("Item").put("Index", index).set("Value", items.get(index));
            JsonNode childInput = template(state.get("ItemSelector"), input, itemContext);
            String child = mapRun + "-" + index;
            ObjectNode record = MAPPER.createObjectNode().put("ExecutionArn", "arn:aws:states:us-east-1:123456789012:"
                    + "execution:replay/Replay:" + child).put("Input", childInput.toString()).put("Name", child);
            record.putObject("InputDetails").put("Included", true);
            try {
                JsonNode childOutput = run(state.get("ItemProcessor"), childInput, context(child));
                record.put("Output", childOutput.toString()).put("Status", "SUCCEEDED");
                record.putObject("OutputDetails").put("Included", true);
                succeeded.add(record);
            } catch (Failure failure) {
                record.put("Error", failure.error).put("Cause", failure.cause).put("Status", "FAILED");
                failed.add(record);
            }
        }
        ObjectNode result = MAPPER.createObjectNode().put("MapRunArn",
                "arn:aws:states:us-east-1:123456789012:mapRun:replay/Replay:" + mapRun);
        result.set("ResultWriterDetails", writeResults(template(state.at("/ResultWriter/Parameters"), input, context),
                mapRun, result.get("MapRunArn").asText(), succeeded, failed));
        if (failed.size() * 100.0 / Math.max(1, items.size()) > state.path("ToleratedFailurePercentage").asDouble(0)) {
            throw new Failure("States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was "
                    + "exceeded: " + failed.size() + " of " + items.size() + " items failed");
        }
        return output(state, input, result, context);
    }

    private JsonNode writeResults(JsonNode where, String mapRun, String mapRunArn, ArrayNode succeeded, ArrayNode failed) {
        String bucket = where.get("Bucket").asText();
        String folder = where.get("Prefix").asText().replaceAll("/+$", "") + "/" + mapRun + "/";
        ObjectNode manifest = MAPPER.createObjectNode().put("DestinationBucket", bucket).put("MapRunArn", mapRunArn);
        ObjectNode files = manifest.putObject("ResultFiles");
        files.putArray("PENDING");
        for (Map.Entry<String, ArrayNode> status : Map.of("FAILED", failed, "SUCCEEDED", succeeded).entrySet()) {
            ArrayNode listed = files.putArray(status.getKey());
            if (!status.getValue().isEmpty()) {
                String key = folder + status.getKey() + "_0.json";
                byte[] body = status.getValue().toString().getBytes(StandardCharsets.UTF_8);
                s3.putObject(put -> put.bucket(bucket).key(key), RequestBody.fromBytes(body));
                listed.addObject().put("Key", key).put("Size", body.length);
            }
        }
        String key = folder + "manifest.json";
        s3.putObject(put -> put.bucket(bucket).key(key), RequestBody.fromString(manifest.toString()));
        return MAPPER.createObjectNode().put("Bucket", bucket).put("Key", key);
    }

    private String choose(JsonNode state, JsonNode input, ObjectNode context) {
        for (JsonNode rule : state.get("Choices")) {
            JsonNode variable = path(rule.get("Variable").asText(), input, context);
            boolean matches;
            if (rule.has("StringEquals")) {
                matches = variable.isTextual() && variable.asText().equals(rule.get("StringEquals").asText());
            } else if (rule.has("NumericEquals")) {
                matches = variable.isNumber() && variable.decimalValue().compareTo(rule.get("NumericEquals").decimalValue()) == 0;
            } else {
                throw new IllegalStateException("a choice rule not modelled here: " + rule);
            }
            if (matches) {
                return rule.get("Next").asText();
            }
        }
        return state.get("Default").asText();
    }

    /** ResultPath ({@code $} or {@code $.field}), then OutputPath. */
    private static JsonNode output(JsonNode state, JsonNode input, JsonNode result, ObjectNode context) {
        String resultPath = state.path("ResultPath").asText("$");
        JsonNode merged = result;
        if (!resultPath.equals("$")) {
            ObjectNode copy = input.deepCopy();
            copy.set(field(resultPath), result);
            merged = copy;
        }
        return path(state.path("OutputPath").asText("$"), merged, context);
    }

    private static String text(JsonNode state, String field, JsonNode input, ObjectNode context) {
        return state.has(field) ? state.get(field).asText()
                : path(state.get(field + "Path").asText(), input, context).asText();
    }

    /** Parameters, ItemSelector, ResultSelector: a field named {@code x.$} takes the value of its path or intrinsic. */
    private static JsonNode template(JsonNode template, JsonNode input, ObjectNode context) {
        if (!template.isObject()) {
            return template;
        }
        ObjectNode out = MAPPER.createObjectNode();
        template.fields().forEachRemaining(field -> {
            String name = field.getKey();
            out.set(name.endsWith(".$") ? name.substring(0, name.length() - 2) : name, name.endsWith(".$")
                    ? new Expression(field.getValue().asText(), input, context).value()
                    : template(field.getValue(), input, context));
        });
        return out;
    }

    static JsonNode path(String path, JsonNode input, JsonNode context) {
        JsonNode node = path.startsWith("$$") ? context : input;
        for (String segment : path.substring(path.startsWith("$$") ? 2 : 1).split("\\.")) {
            if (segment.isEmpty()) {
                continue;
            }
            node = node.get(segment);
            if (node == null) {
                throw new Failure("States.Runtime", "the JSONPath " + path + " could not be found in the input");
            }
        }
        return node;
    }

    private static String field(String path) {
        if (!path.matches("\\$\\.[A-Za-z_]+")) {
            throw new IllegalStateException("a ResultPath not modelled here: " + path);
        }
        return path.substring(2);
    }

    private static ObjectNode context(String execution) {
        ObjectNode context = MAPPER.createObjectNode();
        context.putObject("Execution").put("Name", execution);
        return context;
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A path, or an intrinsic call whose arguments are paths, 'strings' (backslash escapes), booleans and calls. */
    private static final class Expression {
        private final String text;
        private final JsonNode input;
        private final ObjectNode context;
        private int at;

        Expression(String text, JsonNode input, ObjectNode context) {
            this.text = text;
            this.input = input;
            this.context = context;
        }

        JsonNode value() {
            JsonNode value = argument();
            if (at != text.length()) {
                throw new IllegalStateException("cannot read the expression past " + at + ": " + text);
            }
            return value;
        }

        private JsonNode argument() {
            while (text.charAt(at) == ' ') {
                at++;
            }
            if (text.startsWith("States.", at)) {
                return call();
            }
            if (text.charAt(at) == '\'') {
                StringBuilder literal = new StringBuilder();
                for (at++; text.charAt(at) != '\''; at++) {
                    literal.append(text.charAt(at) == '\\' ? text.charAt(++at) : text.charAt(at));
                }
                at++;
                return MAPPER.getNodeFactory().textNode(literal.toString());
            }
            int end = at;
            while (end < text.length() && text.charAt(end) != ',' && text.charAt(end) != ')') {
                end++;
            }
            String token = text.substring(at, end).strip();
            at = end;
            return token.equals("true") || token.equals("false") ? MAPPER.getNodeFactory().booleanNode(
                    Boolean.parseBoolean(token)) : path(token, input, context);
        }

        private JsonNode call() {
            int open = text.indexOf('(', at);
            String function = text.substring(at, open);
            at = open + 1;
            List<JsonNode> arguments = new ArrayList<>();
            while (text.charAt(at) != ')') {
                arguments.add(argument());
                if (text.charAt(at) == ',') {
                    at++;
                }
            }
            at++;
            return switch (function) {
                case "States.StringToJson" -> json(arguments.get(0).asText().getBytes(StandardCharsets.UTF_8));
                case "States.JsonMerge" -> {
                    if (arguments.get(2).asBoolean()) {
                        throw new IllegalStateException("a deep States.JsonMerge is not modelled here");
                    }
                    ObjectNode merged = arguments.get(0).deepCopy();
                    merged.setAll((ObjectNode) arguments.get(1));
                    yield merged;
                }
                default -> throw new IllegalStateException("an intrinsic not modelled here: " + function);
            };
        }
    }
}
