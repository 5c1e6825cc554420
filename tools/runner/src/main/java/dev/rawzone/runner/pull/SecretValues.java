package dev.rawzone.runner.pull;

import dev.rawzone.core.pull.SecretResolver;
import dev.rawzone.core.pull.SecretUnavailableException;
import dev.rawzone.runner.RunnerException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The values of the secrets a sources file references, taken from environment variables so that no token is ever
 * typed on a command line or written to a file: {@code --secret <name>=<VARIABLE>} names the variable, otherwise
 * it is {@code PULL_SECRET_<NAME>} (the name upper-cased, every other character than a letter or digit an
 * underscore: {@code secretsmanager:my-api/token} is read from {@code PULL_SECRET_MY_API_TOKEN}). Values are never
 * printed.
 */
public final class SecretValues {
    public static final String VARIABLE_PREFIX = "PULL_SECRET_";

    private final Map<String, String> values;

    private SecretValues(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /**
     * @param variables {@code --secret} options: a secret's name (with or without its {@code secretsmanager:} or
     *                  {@code ssm:} prefix) to the environment variable holding its value
     */
    public static SecretValues of(Set<String> references, Map<String, String> variables,
                                  Map<String, String> environment) {
        for (String given : variables.keySet()) {
            if (references.stream().noneMatch(reference -> reference.equals(given) || name(reference).equals(given))) {
                throw new RunnerException(2, "--secret " + given + ": the sources file references no such secret"
                        + (references.isEmpty() ? "" : " (it references " + String.join(", ", references) + ")"));
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String reference : references) {
            String variable = variables.getOrDefault(reference, variables.getOrDefault(name(reference),
                    defaultVariable(reference)));
            String value = environment.get(variable);
            if (value == null || value.isBlank()) {
                throw new RunnerException(2, "the sources reference the secret " + reference + ": set the environment "
                        + "variable " + variable + " to its value (or name another with --secret " + name(reference)
                        + "=<VARIABLE>)");
            }
            values.put(reference, value);
        }
        return new SecretValues(values);
    }

    /** {@code PULL_SECRET_} and the reference's name, upper-cased, with {@code _} for anything but letters and digits. */
    public static String defaultVariable(String reference) {
        return VARIABLE_PREFIX + name(reference).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** The reference without its {@code secretsmanager:} or {@code ssm:} prefix. */
    public static String name(String reference) {
        if (reference.startsWith(SecretResolver.SECRETS_MANAGER)) {
            return reference.substring(SecretResolver.SECRETS_MANAGER.length());
        }
        return reference.startsWith(SecretResolver.SSM) ? reference.substring(SecretResolver.SSM.length()) : reference;
    }

    public Map<String, String> byReference() {
        return values;
    }

    /** {@code text} with every secret value in it replaced by {@code ***}. */
    public String scrub(String text) {
        String scrubbed = text;
        for (String value : values.values()) {
            scrubbed = scrubbed.replace(value, "***");
        }
        return scrubbed;
    }

    /** Resolves the references from these values, as the function resolves them from Secrets Manager or SSM. */
    public SecretResolver resolver() {
        return reference -> {
            String value = values.get(reference);
            if (value == null) {
                throw new SecretUnavailableException("secret " + reference + " has no value here");
            }
            return value;
        };
    }
}
