package dev.rawzone.runner.glue;

import dev.rawzone.core.identity.KeyParts;

import java.util.List;
import java.util.Locale;

/**
 * The template's Glue resources as YAML: the database and one table per dataset, each partitioned by the raw zone's
 * folders {@code raw/<source>/<dataset>/schema=v<N>/dt=<date>/} with partition projection, so Athena finds every
 * partition without a crawler. Printed by {@code ./ingest glue-tables} between {@link #BEGIN} and {@link #END}, and
 * pasted over the block of the same name in template.yaml.
 */
public final class GlueTemplateBlock {
    public static final String BEGIN = "  # ---------------------------------------------------------------- Glue tables (generated)";
    public static final String END = "  # ---------------------------------------------------------------- end of the Glue tables";
    public static final String DATABASE = "RawDatabase";
    /** The sources that write the raw zone, as its first folder names them. */
    public static final List<String> SOURCES = List.of("s3", "kinesis", "pull");
    /** The first day a {@code dt} partition is projected for. */
    public static final String FIRST_DAY = "2020-01-01";

    private GlueTemplateBlock() {
    }

    public static String render(List<GlueTable> tables) {
        StringBuilder yaml = new StringBuilder();
        yaml.append(BEGIN).append('\n');
        yaml.append("""
                  # `./ingest glue-tables` prints this block from the datasets' JSON Schemas (the newest version of each):
                  # regenerate it after a schema change, never edit it by hand (GlueTablesTest fails while it disagrees).
                  # Partition projection computes every partition, so Athena queries the tables right after deploy.
                  %s:
                    Type: AWS::Glue::Database
                    Properties:
                      CatalogId: !Ref AWS::AccountId
                      DatabaseInput:
                        Name: !Ref GlueDatabaseName
                        Description: The raw zone's datasets as the sources sent them, one table each (raw/ only, not quarantine/ or manifests/).
                """.formatted(DATABASE));
        for (GlueTable table : tables) {
            yaml.append('\n');
            table(yaml, table);
        }
        yaml.append(END).append('\n');
        return yaml.toString();
    }

    /** {@code orders} gives {@code OrdersGlueTable}; other characters than letters and digits start a new word. */
    public static String logicalId(String dataset) {
        StringBuilder id = new StringBuilder();
        for (String word : dataset.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return id + "GlueTable";
    }

    /** Athena's table names are lower case letters, digits and underscores. */
    public static String tableName(String dataset) {
        return dataset.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    private static void table(StringBuilder yaml, GlueTable table) {
        String folder = KeyParts.sanitise(table.dataset());
        yaml.append("""
                  %s:
                    Type: AWS::Glue::Table
                    Properties:
                      CatalogId: !Ref AWS::AccountId
                      DatabaseName: !Ref %s
                      TableInput:
                        Name: %s
                        Description: %s records written to the raw zone, columns from its JSON Schema v%d.
                        TableType: EXTERNAL_TABLE
                        Parameters:
                          classification: json
                          compressionType: gzip
                          projection.enabled: "true"
                          projection.source.type: enum
                          projection.source.values: %s
                          projection.schema.type: enum
                          projection.schema.values: %s
                          projection.dt.type: date
                          projection.dt.format: yyyy-MM-dd
                          projection.dt.range: %s,NOW
                          projection.dt.interval: "1"
                          projection.dt.interval.unit: DAYS
                          storage.location.template: !Sub "s3://${RawBucket}/raw/${!source}/%s/schema=${!schema}/dt=${!dt}/"
                        PartitionKeys:
                """.formatted(logicalId(table.dataset()), DATABASE, tableName(table.dataset()), table.dataset(),
                table.versions(), String.join(",", SOURCES), String.join(",", table.schemaValues()), FIRST_DAY, folder));
        for (String key : GlueTable.PARTITION_KEYS) {
            column(yaml, "          ", key, HiveType.STRING);
        }
        yaml.append("""
                        StorageDescriptor:
                          Location: !Sub "s3://${RawBucket}/raw/"
                          Compressed: true
                          InputFormat: org.apache.hadoop.mapred.TextInputFormat
                          OutputFormat: org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat
                          SerdeInfo:
                            SerializationLibrary: org.openx.data.jsonserde.JsonSerDe
                            Parameters:
                              ignore.malformed.json: "false"
                          Columns:
                """);
        for (GlueTable.Column column : table.columns()) {
            column(yaml, "            ", column.name(), column.type());
        }
    }

    private static void column(StringBuilder yaml, String indent, String name, String type) {
        yaml.append(indent).append("- Name: ").append(name).append('\n');
        yaml.append(indent).append("  Type: ").append(type.contains(":") ? "\"" + type + "\"" : type).append('\n');
    }
}
