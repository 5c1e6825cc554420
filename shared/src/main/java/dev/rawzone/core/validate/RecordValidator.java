package dev.rawzone.core.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates records against their dataset's schema. A record may declare the version it follows in
 * {@value #VERSION_FIELD} (the integer {@code 2}, or the string {@code "2"} or {@code "v2"}); a record without one
 * (or with null or a blank string there) is validated against the dataset's current version. The field is validated
 * like any other, so a schema with {@code additionalProperties: false} must list it.
 * <p>
 * Never throws for a bad record: a malformed or unknown declared version, and every violation, come back as
 * {@link Validation.Invalid}. It does throw {@link SchemaException} when the dataset itself cannot be used (unknown
 * dataset, refused schemas): that is a configuration problem, not the record's. Compiled schemas are cached by the
 * catalogue, so a call costs one validation and no I/O once the dataset is loaded.
 */
public final class RecordValidator {
    public static final String VERSION_FIELD = "schema_version";
    /** The longest {@link Validation.Invalid#reason()}. */
    public static final int MAX_REASON_LENGTH = 1024;

    private static final Pattern DECLARED = Pattern.compile("[vV]?([1-9][0-9]{0,8})");
    private static final int MAX_ECHO = 40;

    private final SchemaCatalogue catalogue;

    public RecordValidator(SchemaCatalogue catalogue) {
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
    }

    /**
     * Validates {@code record} against the version of {@code dataset} it declares, or the current one.
     *
     * @throws SchemaException when the dataset is unknown or its schemas are refused
     */
    public Validation validate(String dataset, ObjectNode record) {
        return validate(dataset, record, catalogue.currentVersion(dataset));
    }

    /**
     * Validates {@code record} as a source unit that settled on {@code current} as its dataset's newest version
     * does: a record without a declaration against {@code current}, one declaring a later version is invalid even
     * if that version has been published since, so every attempt at the unit decides the same.
     *
     * @throws SchemaException when the dataset is unknown or its schemas are refused
     */
    public Validation validate(String dataset, ObjectNode record, int current) {
        Objects.requireNonNull(record, "record");
        int version;
        JsonNode declared = record.get(VERSION_FIELD);
        if (declared == null || declared.isNull() || declared.isTextual() && declared.textValue().isBlank()) {
            version = current;
        } else {
            version = parseVersion(declared);
            if (version == Validation.NO_VERSION) {
                return new Validation.Invalid(dataset, Validation.NO_VERSION, "$." + VERSION_FIELD + ": malformed "
                        + "version declaration " + echo(declared) + " (expected a positive integer like 2, \"2\" or \"v2\")");
            }
            if (version > current) {
                return new Validation.Invalid(dataset, version, "$." + VERSION_FIELD + ": dataset " + dataset
                        + " has no schema v" + version + " (known: v1..v" + current + ")");
            }
        }
        SchemaCatalogue.Compiled compiled = catalogue.compiled(dataset, version);
        Set<ValidationMessage> violations;
        try {
            violations = compiled.validator().validate(record);
        } catch (RuntimeException e) {
            return new Validation.Invalid(dataset, version, "the validator failed on this record: " + e);
        }
        if (violations.isEmpty()) {
            return compiled.valid();
        }
        return new Validation.Invalid(dataset, version, Violations.join(violations, MAX_REASON_LENGTH));
    }

    /** The newest version of {@code dataset}, or 0 when it has no schema at all. */
    public int currentVersionOrZero(String dataset) {
        try {
            return catalogue.currentVersion(dataset);
        } catch (UnknownDatasetException e) {
            return 0;
        }
    }

    /** The declared version, or {@link Validation#NO_VERSION} when the declaration is malformed. */
    static int parseVersion(JsonNode declared) {
        if (declared.isIntegralNumber()) {
            return declared.canConvertToInt() && declared.intValue() >= 1 ? declared.intValue() : Validation.NO_VERSION;
        }
        if (declared.isTextual()) {
            Matcher matcher = DECLARED.matcher(declared.textValue().strip());
            return matcher.matches() ? Integer.parseInt(matcher.group(1)) : Validation.NO_VERSION;
        }
        return Validation.NO_VERSION;
    }

    private static String echo(JsonNode value) {
        String text = value.toString();
        return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "...";
    }
}
