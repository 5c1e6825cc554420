"""SAM template -> CloudFormation, with the SAM translator itself (what `sam deploy` and CloudFormation's
AWS::Serverless transform run). Called by the runner's SamTranslator:

  sam_transform.py code-uris <template>
      prints {"<local CodeUri>": ["<function logical id>", ...]}: what a packaging step uploads
  sam_transform.py transform <template> <code uris> <parameters> [<iam endpoint>]
      <code uris>: JSON {"<local CodeUri>": "s3://bucket/key"}; <parameters>: JSON {"Name": "value"}
      prints the transformed template as JSON; without an IAM endpoint no AWS managed policy may be named by its
      name alone (the template names none), as when a test reads the transformed template with no emulator

Errors are one line on stderr, exit 1.
"""
import json
import sys

from samtranslator.yaml_helper import yaml_parse


def read(path):
    """The template with its short-form tags (!Sub, !Ref...) as intrinsic functions, by the translator's own reader."""
    with open(path, encoding="utf-8") as text:
        # plain JSON values, as CloudFormation reads them: an unquoted 2010-09-09 is that string, not a date
        return json.loads(json.dumps(yaml_parse(text.read()), default=str))


def function_code(template):
    """(holder, local CodeUri) for each serverless function and for Globals.Function."""
    holders = [template.get("Globals", {}).get("Function", {})]
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") == "AWS::Serverless::Function":
            holders.append(resource.setdefault("Properties", {}))
    return [(h, h["CodeUri"]) for h in holders if isinstance(h.get("CodeUri"), str)]


def code_uris(template):
    uses = {}
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("Type") == "AWS::Serverless::Function":
            code = resource.get("Properties", {}).get("CodeUri",
                                                       template.get("Globals", {}).get("Function", {}).get("CodeUri"))
            if isinstance(code, str):
                uses.setdefault(code, []).append(logical_id)
    return uses


def transform(template, uploaded, parameters, iam_endpoint):
    import boto3
    from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
    from samtranslator.translator.transform import transform as sam_transform

    for holder, code in function_code(template):
        if code not in uploaded:
            raise SystemExit("CodeUri %s was not uploaded" % code)
        holder["CodeUri"] = uploaded[code]
    # The loader is only asked when a policy names an AWS managed policy; the emulator's IAM lists those.
    loader = ManagedPolicyLoader(boto3.client("iam", endpoint_url=iam_endpoint)) if iam_endpoint else NoManagedPolicies()
    return sam_transform(template, parameters, loader)


class NoManagedPolicies:
    def load(self):
        return {}


def main(argv):
    if len(argv) >= 2 and argv[0] == "code-uris":
        result = code_uris(read(argv[1]))
    elif len(argv) >= 4 and argv[0] == "transform":
        result = transform(read(argv[1]), json.loads(argv[2]), json.loads(argv[3]), argv[4] if len(argv) > 4 else None)
    else:
        raise SystemExit("usage: sam_transform.py code-uris <template> | transform <template> <code uris> <parameters> [<iam endpoint>]")
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except SystemExit:
        raise
    except Exception as e:  # the translator's InvalidDocumentException lists every problem in its message
        raise SystemExit("%s: %s" % (type(e).__name__, e))
