# Prints template.yaml as CloudFormation JSON, transformed by the SAM translator that ships with cfn-lint.
# CodeUri becomes s3://code/<the path>, as `sam package` would make it, so Code.S3Key still names the jar.
import json
import os
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
from cfnlint.decode import decode
from samtranslator.translator.transform import transform


class NoManagedPolicies:
    def load(self):
        return {}


template, errors = decode(sys.argv[1])
if errors:
    sys.exit("cannot read %s: %s" % (sys.argv[1], errors))
for resource in template.get("Resources", {}).values():
    properties = resource.get("Properties", {})
    if resource.get("Type") == "AWS::Serverless::Function" and isinstance(properties.get("CodeUri"), str):
        properties["CodeUri"] = "s3://code/" + properties["CodeUri"]
print(json.dumps(transform(template, {}, NoManagedPolicies())))
