package dev.rawzone.runner.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.runner.RunnerException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BucketPoliciesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BucketPolicies policies = new BucketPolicies(Map.of("RawBucket", "rawzone-raw-1"));

    @Test
    void namesAndArnsOfTheStacksBucketsAreResolvedAndTheRestIsKept() throws Exception {
        JsonNode statement = JSON.readTree("""
                {"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                 "Resource": [{"Fn::GetAtt": ["RawBucket", "Arn"]}, {"Fn::Sub": "${RawBucket.Arn}/*"}],
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}, "Sid": {"Fn::Sub": "Only${RawBucket}"}}""");

        JsonNode resolved = policies.resolve(statement, "RawBucketPolicy");

        assertEquals(JSON.readTree("""
                {"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                 "Resource": ["arn:aws:s3:::rawzone-raw-1", "arn:aws:s3:::rawzone-raw-1/*"],
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}, "Sid": "Onlyrawzone-raw-1"}"""), resolved);
        assertEquals("rawzone-raw-1", policies.resolve(JSON.readTree("{\"Ref\": \"RawBucket\"}"), "P").asText());
    }

    @Test
    void aPolicyNamingAnythingElseFailsTheDeployInsteadOfBeingAppliedHalfResolved() {
        for (String node : new String[] {"{\"Ref\": \"LandingBucket\"}", "{\"Ref\": \"AWS::AccountId\"}",
                "{\"Fn::Sub\": \"arn:aws:iam::${AWS::AccountId}:root\"}", "{\"Fn::GetAtt\": [\"RawBucket\", \"DomainName\"]}",
                "{\"Fn::If\": [\"C\", \"a\", \"b\"]}", "{\"Fn::ImportValue\": \"x\"}"}) {
            RunnerException refused = assertThrows(RunnerException.class,
                    () -> policies.resolve(JSON.readTree(node), "RawBucketPolicy"), node);
            assertTrue(refused.getMessage().startsWith("RawBucketPolicy"), refused.getMessage());
        }
    }
}
