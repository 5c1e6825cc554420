package dev.rawzone.core.pull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.route.Locations;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

import java.util.function.Supplier;

/**
 * Reads the pull sources configuration from where {@code PULL_SOURCES} says: {@code ssm:<parameter name>} (an SSM
 * parameter, String or SecureString), or anything {@link Locations} reads ({@code classpath:}, {@code s3://}, a
 * file). Kept apart from {@link PullSources} so that only code that reads SSM needs the SSM client on its class path.
 */
public final class PullSourcesLocation {
    public static final String SSM_SCHEME = "ssm:";

    private PullSourcesLocation() {
    }

    /** Reads and checks the document; clients are asked for only when the location needs one. */
    public static PullSources load(String location, Supplier<S3Client> s3, Supplier<SsmClient> ssm, ObjectMapper mapper) {
        String text;
        if (location.startsWith(SSM_SCHEME)) {
            String name = location.substring(SSM_SCHEME.length());
            try {
                text = ssm.get().getParameter(get -> get.name(name).withDecryption(true)).parameter().value();
            } catch (ParameterNotFoundException e) {
                throw new InvalidPullConfigException("pull sources: SSM parameter " + name + " does not exist");
            }
        } else {
            try {
                text = Locations.read(location, s3);
            } catch (IllegalArgumentException e) {
                throw new InvalidPullConfigException("pull sources: " + e.getMessage(), e);
            }
        }
        return PullSources.parse(text, mapper);
    }
}
