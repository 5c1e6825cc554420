package dev.rawzone.runner.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.runner.aws.AwsClients;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A template deployed for a test as {@code ./ingest deploy} deploys it, or only translated as the deploy does. */
public final class TestStacks {
    private TestStacks() {
    }

    /** Deploys {@code template} on the emulator; the stack's clients stay open for the test. */
    public static DeployedStack deploy(URI emulator, Path template, Map<String, String> parameterOverrides) {
        return new StackDeployer(new AwsClients(emulator), new SamTranslator(System.getenv()),
                new PrintStream(OutputStream.nullOutputStream())).deploy(template, parameterOverrides);
    }

    /** The stack a command deployed on the emulator, read back (its functions have no local code). */
    public static DeployedStack deployed(URI emulator) {
        AwsClients aws = new AwsClients(emulator);
        return DeployedStack.read(aws.cloudFormation(), aws.lambda(), StackDeployer.STACK, Map.of());
    }

    /** The template as the SAM translator turns it into CloudFormation, each CodeUri named as if uploaded. */
    public static ObjectNode translated(Path template, Map<String, String> parameterOverrides, URI emulator) {
        SamTranslator translator = new SamTranslator(System.getenv());
        Map<String, String> uploaded = new LinkedHashMap<>();
        translator.codeUris(template).keySet().forEach(code -> uploaded.put(code,
                "s3://" + Artifacts.BUCKET + "/" + Path.of(code).getFileName()));
        return translator.transform(template, uploaded, parameterOverrides, emulator);
    }
}
