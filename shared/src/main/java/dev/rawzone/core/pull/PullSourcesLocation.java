package dev.rawzone.core.pull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.config.SsmParameters;
import dev.rawzone.core.route.Locations;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.util.function.Supplier;

/**
 * Reads the pull sources configuration from where {@code PULL_SOURCES} says: {@code ssm:<parameter name>} (an SSM
 * parameter, String or SecureString), or anything {@link Locations} reads ({@code classpath:}, {@code s3://}, a
 * file).
 */
public final class PullSourcesLocation {
    public static final String SSM_SCHEME = "ssm:";

    private PullSourcesLocation() {
    }

    /** Reads and checks the document; clients are asked for only when the location needs one. */
    public static PullSources load(String location, Supplier<S3Client> s3, Supplier<SsmParameters> ssm, ObjectMapper mapper) {
        String text;
        if (location.startsWith(SSM_SCHEME)) {
            String name = location.substring(SSM_SCHEME.length());
            try {
                text = ssm.get().value(name);
            } catch (AwsServiceException e) {
                if (SsmParameters.PARAMETER_NOT_FOUND.equals(e.awsErrorDetails().errorCode())) {
                    throw new InvalidPullConfigException("pull sources: SSM parameter " + name + " does not exist");
                }
                throw e;
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
