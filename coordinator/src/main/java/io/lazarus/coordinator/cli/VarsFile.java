package io.lazarus.coordinator.cli;

import io.lazarus.common.contract.InvalidField;
import io.lazarus.common.contract.RunVariables;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@code --vars-file}: a flat map of scalars, as YAML or as JSON (a file whose first character is <code>{</code>;
 * read as JSON, because YAML refuses the tabs JSON may be indented with). A value is taken as written: {@code 1.10}
 * stays {@code 1.10}. A nested value, a null, a key given twice or a key that is no variable name is refused with the
 * file, the line and the key.
 */
final class VarsFile {

    private final String file;

    private VarsFile(String file) {
        this.file = file;
    }

    static Map<String, String> read(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new InputException("--vars-file " + path + ": no such file");
        } catch (IOException e) {
            throw new InputException("--vars-file " + path + ": cannot be read: " + e.getMessage());
        }
        VarsFile file = new VarsFile(path.toString());
        return text.stripLeading().startsWith("{") ? file.json(text) : file.yaml(text);
    }

    private Map<String, String> yaml(String text) {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw refused(mark == null ? 0 : mark.getLine() + 1, "not YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw refused(0, "not YAML: " + e.getMessage());
        }
        Map<String, String> vars = new LinkedHashMap<>();
        if (root == null) {
            return vars;
        }
        if (!(root instanceof MappingNode mapping)) {
            throw refused(line(root), "must be a mapping of KEY: VALUE");
        }
        for (NodeTuple tuple : mapping.getValue()) {
            int line = line(tuple.getKeyNode());
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                throw refused(line, "a key must be a name, not a collection");
            }
            Node value = tuple.getValueNode();
            if (!(value instanceof ScalarNode scalar)) {
                throw refused(line, "key '" + key.getValue() + "': nested values are refused (a flat map of scalars)");
            }
            put(vars, line, key.getValue(), scalar.getTag().equals(Tag.NULL) ? null : scalar.getValue());
        }
        return vars;
    }

    private Map<String, String> json(String text) {
        Map<String, String> vars = new LinkedHashMap<>();
        try (JsonParser parser = JsonMapper.shared().createParser(text)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = parser.currentName();
                int line = line(parser.currentTokenLocation());
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    throw refused(line, "key '" + key + "': nested values are refused (a flat map of scalars)");
                }
                put(vars, line, key, value == JsonToken.VALUE_NULL ? null : parser.getString());
            }
            if (parser.nextToken() != null) {
                throw refused(line(parser.currentTokenLocation()), "not JSON: more after the object");
            }
        } catch (JacksonException e) {
            throw refused(line(e.getLocation()), "not JSON: " + e.getOriginalMessage());
        }
        return vars;
    }

    private void put(Map<String, String> vars, int line, String key, String value) {
        try {
            RunVariables.checkKey(key);
            RunVariables.checkValue(key, value);
        } catch (InvalidField e) {
            throw refused(line, e.getMessage());
        }
        if (vars.put(key, value) != null) {
            throw refused(line, "key '" + key + "' is given twice");
        }
    }

    private InputException refused(int line, String detail) {
        return new InputException("--vars-file " + file + (line > 0 ? ":" + line : "") + ": " + detail);
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static int line(TokenStreamLocation location) {
        return location == null ? 0 : location.getLineNr();
    }
}
