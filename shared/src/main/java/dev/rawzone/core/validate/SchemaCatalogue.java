package dev.rawzone.core.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versioned schemas of every dataset, loaded from a {@link SchemaSource} on first use and kept for the life
 * of the catalogue (one Lambda container); asked for a version above the newest it has, it reads the dataset again. Loading a dataset reads all its versions and refuses them, with a
 * {@link SchemaException}, when
 * <ul>
 *   <li>there is none ({@link UnknownDatasetException});</li>
 *   <li>the versions do not run v1, v2, ... without a gap, or a file is not valid JSON, not a valid JSON Schema
 *       for its dialect, or cannot be compiled ({@link MalformedSchemaException});</li>
 *   <li>a version N &gt; 1 is not backward compatible with N-1 ({@link IncompatibleSchemaException}).</li>
 * </ul>
 * A refused dataset is not cached, so the next call tries again (a fixed schema is picked up without a restart).
 * <p>
 * Draft 2020-12 is the dialect when {@code $schema} is absent; the other drafts the validator library bundles
 * (04, 06, 07, 2019-09) are accepted. Schemas are never fetched from the network: a remote {@code $ref} or an
 * unknown {@code $schema} makes loading fail. {@code format} is asserted (a {@code "date"} that is not a date is a
 * violation), which is stricter than the 2020-12 default of annotation only.
 */
public final class SchemaCatalogue {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaCatalogue.class);
    static final String DEFAULT_DIALECT = "https://json-schema.org/draft/2020-12/schema";

    private final SchemaSource source;
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaLoaders(loaders -> loaders.add(
                    new AllowSchemaLoader(iri -> iri.toString().startsWith("classpath:")))));
    private final SchemaValidatorsConfig recordConfig = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_PATH)
            .formatAssertionsEnabled(true)
            .build();
    private final SchemaValidatorsConfig metaConfig = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_PATH)
            .build();
    private final SchemaCompatibility compatibility = new SchemaCompatibility();
    private final ConcurrentMap<String, JsonSchema> metaSchemas = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, List<Compiled>> datasets = new ConcurrentHashMap<>();

    public SchemaCatalogue(SchemaSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** A loaded version: its schema, the compiled validator, and the (immutable) Valid outcome to hand out. */
    record Compiled(DatasetSchema schema, JsonSchema validator, Validation.Valid valid) {
    }

    /**
     * The highest schema version of {@code dataset}.
     *
     * @throws SchemaException when the dataset is unknown or its schemas are refused
     */
    public int currentVersion(String dataset) {
        return loaded(dataset).size();
    }

    /** The versions of {@code dataset}: always 1..{@link #currentVersion}. */
    public List<Integer> versions(String dataset) {
        return IntStream.rangeClosed(1, currentVersion(dataset)).boxed().toList();
    }

    /**
     * Version {@code version} of {@code dataset}'s schema.
     *
     * @throws UnknownSchemaVersionException when the dataset has no such version
     * @throws SchemaException when the dataset is unknown or its schemas are refused
     */
    public DatasetSchema schema(String dataset, int version) {
        return compiled(dataset, version).schema();
    }

    Compiled compiled(String dataset, int version) {
        List<Compiled> all = loaded(dataset);
        if (version > all.size()) {
            all = reloaded(dataset);
        }
        if (version < 1 || version > all.size()) {
            throw new UnknownSchemaVersionException(dataset, version, all.size());
        }
        return all.get(version - 1);
    }

    List<Compiled> loaded(String dataset) {
        Objects.requireNonNull(dataset, "dataset");
        List<Compiled> cached = datasets.get(dataset);
        return cached != null ? cached : datasets.computeIfAbsent(dataset, this::load);
    }

    /**
     * Asked for a version above the newest this container loaded: another container (or an earlier attempt of the
     * same source unit) may already work with a version published since, so read the dataset again.
     */
    private List<Compiled> reloaded(String dataset) {
        List<Compiled> fresh = load(dataset);
        datasets.put(dataset, fresh);
        return fresh;
    }

    private List<Compiled> load(String dataset) {
        DatasetNames.require(dataset);
        List<Integer> versions = source.versions(dataset).stream().distinct().sorted().toList();
        if (versions.isEmpty()) {
            throw new UnknownDatasetException(dataset, "unknown dataset " + dataset + ": no schema at " + source + "/"
                    + dataset + "/v1.json");
        }
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i) != i + 1) {
                throw new MalformedSchemaException(dataset, "dataset " + dataset + ": schema versions must run v1, v2, "
                        + "... without gaps, found " + versions.stream().map(v -> "v" + v).toList() + " at " + source);
            }
        }
        List<Compiled> compiled = new ArrayList<>();
        for (int version = 1; version <= versions.size(); version++) {
            DatasetSchema schema = DatasetSchema.of(dataset, version, read(dataset, version));
            JsonSchema validator = compile(schema);
            if (version > 1) {
                List<String> problems = compatibility.problems(
                        compiled.get(version - 2).schema().document(), schema.document());
                if (!problems.isEmpty()) {
                    throw new IncompatibleSchemaException(dataset, version, problems);
                }
            }
            compiled.add(new Compiled(schema, validator, new Validation.Valid(schema)));
        }
        LOG.info("dataset {}: schemas v1..v{} loaded from {}", dataset, compiled.size(), source);
        return List.copyOf(compiled);
    }

    private JsonNode read(String dataset, int version) {
        String label = label(dataset, version);
        String text = source.read(dataset, version).orElseThrow(() ->
                new MalformedSchemaException(dataset, label + " is listed but could not be read"));
        JsonNode document;
        try {
            document = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedSchemaException(dataset, label + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (document == null || !document.isObject()) {
            throw new MalformedSchemaException(dataset, label + " must be a JSON object (a JSON Schema)");
        }
        return document;
    }

    private JsonSchema compile(DatasetSchema schema) {
        String dataset = schema.dataset();
        String label = label(dataset, schema.version());
        JsonNode dialect = schema.document().get("$schema");
        if (dialect != null && !dialect.isTextual()) {
            throw new MalformedSchemaException(dataset, label + ": $schema must be a string");
        }
        String metaIri = dialect == null ? DEFAULT_DIALECT : dialect.textValue();
        Set<ValidationMessage> metaProblems;
        try {
            metaProblems = metaSchema(metaIri).validate(schema.document());
        } catch (RuntimeException e) {
            throw new MalformedSchemaException(dataset, label + ": unsupported $schema '" + metaIri + "' ("
                    + e.getMessage() + ")", e);
        }
        if (!metaProblems.isEmpty()) {
            throw new MalformedSchemaException(dataset, label + " is not a valid JSON Schema: "
                    + Violations.join(metaProblems, RecordValidator.MAX_REASON_LENGTH));
        }
        try {
            JsonSchema validator = factory.getSchema(
                    SchemaLocation.of("rawzone:" + dataset + "/v" + schema.version() + ".json"),
                    schema.document(), recordConfig);
            validator.initializeValidators();
            return validator;
        } catch (RuntimeException e) {
            throw new MalformedSchemaException(dataset, label + " cannot be compiled: " + e.getMessage(), e);
        }
    }

    private JsonSchema metaSchema(String iri) {
        JsonSchema cached = metaSchemas.get(iri);
        if (cached != null) {
            return cached;
        }
        JsonSchema meta = factory.getSchema(SchemaLocation.of(iri), metaConfig);
        meta.initializeValidators();
        metaSchemas.putIfAbsent(iri, meta);
        return meta;
    }

    private String label(String dataset, int version) {
        return source + "/" + dataset + "/v" + version + ".json";
    }

    @Override
    public String toString() {
        return "SchemaCatalogue[" + source + "]";
    }
}
