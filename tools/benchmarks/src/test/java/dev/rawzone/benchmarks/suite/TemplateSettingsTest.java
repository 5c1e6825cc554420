package dev.rawzone.benchmarks.suite;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TemplateSettingsTest {

    @Test
    void readsAFunctionsSettingsResolvingARefToItsParametersDefault() throws Exception {
        Path template = Files.createTempFile("template", ".yaml");
        try {
            Files.writeString(template, """
                    Parameters:
                      FunctionMemorySize:
                        Type: Number
                        Default: 1536
                      StreamBatchSize:
                        Type: Number
                        Default: 500 # records
                    Resources:
                      S3IngestFunction:
                        Type: AWS::Serverless::Function
                        Properties:
                          MemorySize: !Ref FunctionMemorySize
                          Timeout: 900 # the handler stops before this
                      StreamIngestFunction:
                        Type: AWS::Serverless::Function
                        Properties:
                          MemorySize: 1024
                          Timeout: 300
                    """);
            TemplateSettings settings = TemplateSettings.read(template);

            assertEquals(1536, settings.memorySizeMb("S3IngestFunction"));
            assertEquals(900, settings.timeoutSeconds("S3IngestFunction"));
            assertEquals(1024, settings.memorySizeMb("StreamIngestFunction"));
            assertEquals(300, settings.timeoutSeconds("StreamIngestFunction"));
            assertEquals(500, settings.parameterDefault("StreamBatchSize"));
        } finally {
            Files.delete(template);
        }
    }

    @Test
    void readsTheRepositorysTemplate() throws Exception {
        TemplateSettings settings = TemplateSettings.read(Path.of("../../template.yaml"));

        assertEquals(1024, settings.memorySizeMb("StreamIngestFunction"));
        assertEquals(900, settings.timeoutSeconds("S3IngestFunction"));
    }
}
