package dev.rawzone.runner.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a CloudFormation / SAM template written in YAML into a JSON tree, keeping the short-form tags as the
 * intrinsic functions they stand for: {@code !Sub x} becomes {@code {"Fn::Sub": x}}, {@code !Ref x} becomes
 * {@code {"Ref": x}}, {@code !GetAtt A.B} becomes {@code {"Fn::GetAtt": ["A", "B"]}}, {@code !Condition c} becomes
 * {@code {"Condition": c}}. Dates such as {@code 2010-09-09} stay strings.
 */
public final class CfnYaml {
    private static final List<String> FUNCTIONS = List.of("Sub", "Join", "Select", "Split", "If", "Equals", "Not",
            "And", "Or", "FindInMap", "Base64", "GetAZs", "ImportValue", "Cidr", "Transform", "Length", "ToJsonString",
            "GetAtt");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CfnYaml() {}

    public static JsonNode parse(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try {
            Object document = new Yaml(new IntrinsicConstructor(options)).load(yaml);
            return MAPPER.valueToTree(document);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("template is not valid YAML: " + e.getMessage().replaceAll("\\s*\\R\\s*", " "), e);
        }
    }

    private static final class IntrinsicConstructor extends SafeConstructor {
        IntrinsicConstructor(LoaderOptions options) {
            super(options);
            for (String function : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + function), new Intrinsic("Fn::" + function));
            }
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String key;

            Intrinsic(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    value = constructScalar(scalar);
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                if (key.equals("Fn::GetAtt") && value instanceof String dotted) {
                    int dot = dotted.indexOf('.');
                    value = dot < 0 ? List.of(dotted) : List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
                }
                Map<String, Object> function = new LinkedHashMap<>();
                function.put(key, value);
                return function;
            }
        }
    }
}
