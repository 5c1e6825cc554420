package dev.rawzone.functions.pull;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.pull.CursorKind;
import dev.rawzone.core.pull.PullSource;
import dev.rawzone.core.pull.PullSources;
import dev.rawzone.core.pull.SourceSelection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scheduled sample events load through the runtime's serializer and select what they say; the sources
 * configuration that template.yaml puts in SSM parses, and its schedule's input names a source it configures.
 */
class SampleEventsAndTemplateTest {
    private static final Path ROOT = Path.of("..", "..");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void theScheduledSampleEventsSelectEverySourceOrTheOneTheyName() throws IOException {
        PullSources sources = templateSources();

        ScheduledEvent all = EventLoader.loadScheduledEvent(ROOT.resolve("events/scheduled-all.json").toString());
        ScheduledEvent one = EventLoader.loadScheduledEvent(ROOT.resolve("events/scheduled-source.json").toString());

        assertEquals("Scheduled Event", all.getDetailType());
        assertEquals(sources.all(), SourceSelection.select(MAPPER.valueToTree(all.getDetail()), sources));
        assertEquals(List.of("contacts"), SourceSelection.select(MAPPER.valueToTree(one.getDetail()), sources).stream()
                .map(PullSource::name).toList());
    }

    @Test
    void theTemplatesSourcesConfigurationParsesAndItsSchedulesNameConfiguredSources() throws IOException {
        PullSources sources = templateSources();

        PullSource contacts = sources.find("contacts").orElseThrow();
        assertEquals(CursorKind.TIMESTAMP, contacts.cursor().kind());
        assertEquals("secretsmanager:rawzone/pull/contacts-api-token", contacts.auth().secret().orElseThrow(),
                "by name: the same reference works on AWS and in the emulator");
        List<JsonNode> inputs = scheduleInputs();
        assertEquals(1, inputs.size());
        for (JsonNode input : inputs) {
            assertEquals("Scheduled Event", input.get("detail-type").asText());
            List<PullSource> selected = SourceSelection.select(input.get("detail"), sources);
            assertEquals(1, selected.size(), input.toString());
        }
    }

    /** The Value of PullSourcesParameter, with its !Sub variables as a deployed stack would fill them. */
    static PullSources templateSources() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("template.yaml"));
        int start = lines.indexOf("  PullSourcesParameter:");
        int value = start;
        while (!lines.get(value).strip().equals("Value: !Sub |")) {
            value++;
        }
        int indent = lines.get(value).indexOf("Value");
        StringBuilder json = new StringBuilder();
        for (int i = value + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.isBlank() && line.length() - line.stripLeading().length() <= indent) {
                break;
            }
            json.append(line).append('\n');
        }
        String filled = json.toString()
                .replace("${PullApiEndpoint}", "https://api.example.com/v1/records")
                .replace("${AWS::StackName}", "rawzone");
        assertTrue(!filled.contains("${"), "every !Sub variable is known here: " + filled);
        return PullSources.parse(filled, MAPPER);
    }

    private static List<JsonNode> scheduleInputs() throws IOException {
        Matcher input = Pattern.compile("(?m)^\\s+Input: '(.*)'$").matcher(Files.readString(ROOT.resolve("template.yaml")));
        List<JsonNode> inputs = new ArrayList<>();
        while (input.find()) {
            inputs.add(MAPPER.readTree(input.group(1)));
        }
        return inputs;
    }
}
