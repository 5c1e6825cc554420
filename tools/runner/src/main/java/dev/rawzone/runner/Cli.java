package dev.rawzone.runner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The parsed command line: a command, its positional arguments and its options. */
record Cli(String command, List<String> positional, Map<String, String> options, Set<String> flags, boolean dryRun,
           Map<String, String> parameterOverrides, Map<String, String> secretVariables) {

    static final String USAGE = """
            usage: ingest <command> [options]

              ingest deploy [--parameter-overrides K=V,...] [--template <file>]
                  Deploys the template on the emulator as `sam deploy` would: the SAM translator (Python samtranslator,
                  installed with cfn-lint; RAWZONE_PYTHON names the interpreter), the function jars uploaded, the stack
                  rawzone-local created or updated on the emulator's CloudFormation; prints the stack's outputs.

              ingest demo [--template <file>] [--parameter-overrides K=V,...]
                  Starts a local emulator (moto_server), deploys the template there (or reuses the stack it holds),
                  uploads sample data with bad rows, a truncated gzip and awkward keys, runs S3IngestFunction on the
                  S3 events for them (one delivered twice) and prints the counts and the raw bucket's keys.

              ingest invoke <LogicalId> --event <file> [--dry-run] [--template <file>] [--parameter-overrides K=V,...]
                            [--sources <file>] [--schemas <dir>] [--secret <name>=<VARIABLE>]...
                  Runs the template's function <LogicalId> on the event in <file>, as `sam local invoke` would but in a
                  JVM against the emulator: deploys the template (or reuses the stack there) and runs the function with
                  the handler, environment, memory and timeout Lambda holds for it, uploads events/objects/ to LandingBucket,
                  prints the response and then one line of counts {"in":..,"written":..,"quarantined":..,...}.
                  --dry-run prints what the handler would do with the event (one JSON line per entry), touching nothing
                  (the function is read from a deployment on an emulator of the dry run's own).
                  PullIngestFunction pulls the sample API on loopback with the template's sources, unless:
                  --sources <file>  your own sources configuration (checked first), put into PullSourcesParameter
                  --schemas <dir>   <dataset>/v<N>.json schemas, uploaded to the emulator, SchemaLocation set to them
                  --secret <name>=<VARIABLE>  the environment variable holding a referenced secret's value (default
                                    PULL_SECRET_<NAME>: PULL_SECRET_MY_API_TOKEN for my-api/token); never printed

              ingest pull check <sources file> --schemas <dir> [--secret <name>=<VARIABLE>]...
                  Checks a sources file and fetches ONE page of each source from a fresh checkpoint, writing nothing:
                  the request, each record's position and whether it would be written or quarantined (and why), and
                  the checkpoint the page would leave. Needs no emulator.

              ingest replay verify|redrive|rebuild [--source s3|kinesis|pull] [--dataset <name>] [--from <date>]
                            [--to <date>] [--manifest <key>] [--keys <key>,...] [--quarantine] [--schema-version <N>]
                            [--run-id <id>] [--dry-run] [--plan <file>]
                  Runs ReplayFunction on the selection against the emulator (use AWS_ENDPOINT_URL to replay a raw zone
                  kept there): verify checks parts, manifests and sources (read only); redrive drains the failure
                  queues, or with --quarantine releases quarantined records valid under the current schema; rebuild
                  re-derives the selection into generation schema=v<N> (default: the current version). Prints a line
                  per unit and the totals; exit 1 on any problem. --dry-run says what would be read and written;
                  --plan writes the item listing the Step Functions Distributed Map reads, and runs nothing.

              ingest glue-tables [--schemas <dir>] [--template <file>]
                  Prints the template's Glue block (the database and a table per dataset, with partition projection)
                  from the schemas the functions bundle, plus the <dataset>/v<N>.json under --schemas (the folder an
                  S3 SchemaLocation is uploaded from): paste it over the block of the same name in template.yaml.

              ingest simulate [--source s3|kinesis|pull|replay] [--seeds N] [--seed S] [--soak] [--template <file>]
                  The exactly-once simulation (tools/simulation): seeded scenarios of faults, crashes and configuration
                  changes through the real handlers on template.yaml deployed on the emulator (the functions'
                  environments as deployed), then every record accounted for. Without
                  options: the fixed suite CI runs. Prints a table per source and each failing seed's rerun command.

              ingest bench [--quick] [--only coldstart,s3,validation,resume,stream,pull,rebuild]
                  Runs the benchmarks (tools/benchmarks), three runs each under the JVM flags template.yaml gives the
                  function each measures, and rewrites their tables and the cost model in BENCHMARKS.md (between its
                  <!-- bench:... --> markers). --quick: one run each on small inputs, a few minutes, for a check.

            Environment:
              AWS_ENDPOINT_URL   use this emulator instead of starting one; the stack and what the run creates stay there

            Exit codes: 0 done; 1 failed; 2 bad input (usage, unknown function, unreadable or malformed event).
            """;

    static Cli parse(String[] args) {
        if (args.length == 0) {
            throw RunnerException.usage("no command given");
        }
        String command = args[0];
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        Map<String, String> secrets = new LinkedHashMap<>();
        Set<String> flags = new TreeSet<>();
        boolean dryRun = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--dry-run" -> dryRun = true;
                case "--quarantine" -> flags.add(arg.substring(2));
                case "--event", "--template", "--sources", "--schemas", "--plan" -> {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw RunnerException.usage(arg + (arg.equals("--schemas") ? " needs a directory" : " needs a file"));
                    }
                    options.put(arg.substring(2), args[++i]);
                }
                case "--source", "--dataset", "--from", "--to", "--manifest", "--keys", "--schema-version", "--run-id" -> {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw RunnerException.usage(arg + " needs a value");
                    }
                    options.put(arg.substring(2), args[++i]);
                }
                case "--secret" -> {
                    String pair = i + 1 < args.length ? args[++i] : "";
                    int eq = pair.indexOf('=');
                    if (eq <= 0 || eq == pair.length() - 1) {
                        throw RunnerException.usage("--secret takes <name>=<ENVIRONMENT_VARIABLE> (the variable holds "
                                + "the value, so it never appears on the command line)");
                    }
                    secrets.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
                case "--parameter-overrides" -> {
                    if (i + 1 >= args.length) {
                        throw RunnerException.usage(arg + " needs Key=Value pairs");
                    }
                    for (String pair : args[++i].split("[,\\s]+")) {
                        int eq = pair.indexOf('=');
                        if (eq <= 0) {
                            throw RunnerException.usage("--parameter-overrides takes Key=Value, not " + pair);
                        }
                        overrides.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
                default -> {
                    if (arg.startsWith("-")) {
                        throw RunnerException.usage("unknown option " + arg);
                    }
                    positional.add(arg);
                }
            }
        }
        return new Cli(command, List.copyOf(positional), options, Set.copyOf(flags), dryRun, overrides, secrets);
    }

    Optional<Path> path(String option) {
        return Optional.ofNullable(options.get(option)).map(Path::of);
    }
}
