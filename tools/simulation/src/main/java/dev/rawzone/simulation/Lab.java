package dev.rawzone.simulation;

import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.config.SecretsManagerSecrets;
import dev.rawzone.runner.deploy.DeployedStack;
import dev.rawzone.runner.deploy.SamTranslator;
import dev.rawzone.runner.deploy.StackDeployer;
import dev.rawzone.simulation.faults.CrashPlan;
import dev.rawzone.testkit.Emulator;
import dev.rawzone.testkit.FaultInjectingProxy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The place every scenario runs in: one emulator for the whole run with template.yaml deployed on it once, its data
 * emptied before each scenario ({@link StackData}), and a fault-injecting proxy in front of it that the functions'
 * clients go through (the harness's own clients go straight to the emulator, so reading the raw zone back is never
 * faulted). Every name comes from the stack; each function's environment is the one Lambda holds for it.
 */
final class Lab implements AutoCloseable {
    /**
     * The simulation's own bucket for the configuration it publishes and changes between attempts (routes, schema
     * versions, pull sources): the stack has none, its functions read theirs from the classpath, so a
     * {@link ScenarioSetting} points them here.
     */
    static final String CONFIG = "sim-config";

    private final Emulator emulator;
    private final dev.rawzone.runner.aws.AwsClients deployClients;
    private final Map<String, Map<String, String>> deployedEnvironments = new ConcurrentHashMap<>();
    private final StackData data;
    final DeployedStack stack;
    final FaultInjectingProxy proxy;
    final S3Client s3;
    final DynamoDbClient dynamoDb;
    final SecretsManagerClient secrets;
    /** GetSecretValue as the functions call it. */
    final SecretsManagerSecrets secretValues;
    final SqsClient sqs;
    final KinesisClient kinesis;
    final SsmClient ssm;
    final String landing;
    final String raw;
    final String table;

    private Lab(Emulator emulator, dev.rawzone.runner.aws.AwsClients deployClients, DeployedStack stack) {
        this.emulator = emulator;
        this.deployClients = deployClients;
        this.stack = stack;
        this.proxy = new FaultInjectingProxy(emulator.endpoint());
        AwsClients direct = new AwsClients(emulator.environment());
        this.s3 = direct.s3();
        this.dynamoDb = direct.dynamoDb();
        this.secrets = direct.secretsManager();
        this.secretValues = direct.secretsManagerSecrets();
        this.sqs = direct.sqs();
        this.kinesis = direct.kinesis();
        this.ssm = direct.ssm();
        this.landing = stack.name("LandingBucket");
        this.raw = stack.name("RawBucket");
        this.table = stack.name("CheckpointTable");
        this.data = new StackData(stack, s3, dynamoDb, sqs, kinesis, secrets);
        s3.createBucket(b -> b.bucket(CONFIG));
        s3.putBucketVersioning(v -> v.bucket(CONFIG).versioningConfiguration(c -> c.status("Enabled")));
    }

    /** An emulator with {@code template} deployed on it (the deploy's line goes to {@code log}). */
    static Lab start(Path template, PrintStream log) {
        Emulator emulator = Emulator.start();
        try {
            var clients = new dev.rawzone.runner.aws.AwsClients(emulator.endpoint());
            DeployedStack stack = new StackDeployer(clients, new SamTranslator(System.getenv()), log)
                    .deploy(template, Map.of());
            return new Lab(emulator, clients, stack);
        } catch (RuntimeException e) {
            emulator.close();
            throw e;
        }
    }

    /** The stack as deployed, with no data: no object, item, message, secret or scenario-made stream. */
    void reset() {
        CrashPlan.disarm();
        proxy.clear();
        data.reset();
        data.emptyBucket(CONFIG);
    }

    /** What Ref gives for the stack's resource: a queue's URL, a bucket's or table's name. */
    String physicalId(String logicalId) {
        return stack.physicalId(logicalId);
    }

    void putConfig(String key, String text) {
        s3.putObject(p -> p.bucket(CONFIG).key(key), RequestBody.fromString(text, StandardCharsets.UTF_8));
    }

    /** Where {@link #putConfig} put {@code key}, as a function's configuration names it. */
    static String config(String key) {
        return "s3://" + CONFIG + "/" + key;
    }

    /**
     * The function's environment as Lambda holds it (GetFunctionConfiguration), its AWS calls going through the
     * proxy with the emulator's credentials, and the scenario's settings over it.
     */
    Map<String, String> functionEnvironment(String functionId, Map<ScenarioSetting, String> settings) {
        Map<String, String> env = new HashMap<>(deployedEnvironment(functionId));
        env.putAll(emulator.environment());
        env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
        settings.forEach((setting, value) -> env.put(setting.name(), value));
        return env;
    }

    /** The function's variables as the stack deployed them. */
    Map<String, String> deployedEnvironment(String functionId) {
        return deployedEnvironments.computeIfAbsent(functionId, id -> Map.copyOf(stack.function(id).environment()));
    }

    @Override
    public void close() {
        proxy.close();
        deployClients.close();
        emulator.close();
    }
}
