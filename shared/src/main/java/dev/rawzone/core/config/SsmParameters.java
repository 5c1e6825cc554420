package dev.rawzone.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * SSM Parameter Store's {@code GetParameter} (with decryption, so SecureString too) through {@link AwsJsonCall}
 * instead of the SSM module: that module is about 5 MB of a function's jar for its 2,797 model classes, of which
 * the functions use one operation ({@code awsJson1_1}, {@code X-Amz-Target: AmazonSSM.GetParameter}).
 *
 * <p>Failures are {@link AwsServiceException}s carrying SSM's error code, as the SSM client would throw them (a
 * missing parameter has code {@value #PARAMETER_NOT_FOUND}).
 */
public final class SsmParameters {
    public static final String PARAMETER_NOT_FOUND = "ParameterNotFound";

    private final AwsJsonCall ssm;

    public SsmParameters(AwsJsonCall ssm) {
        this.ssm = ssm;
    }

    /** The parameter's value, decrypted. */
    public String value(String name) {
        JsonNode value = ssm.call("GetParameter", JsonNodeFactory.instance.objectNode()
                .put("Name", name).put("WithDecryption", true)).path("Parameter").path("Value");
        if (!value.isTextual()) {
            throw SdkClientException.create("SSM GetParameter " + name + ": the response has no Parameter.Value");
        }
        return value.asText();
    }
}
