package io.lazarus.coordinator.ec2;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * Reads {@code --ec2-filter} values: {@code NAME=VALUE[,VALUE...]} ({@code tag:Role=web},
 * {@code instance-type=t3.micro,t3.small}; {@code \,} is a comma inside a value), or the AWS CLI's
 * {@code Name=NAME,Values=VALUE[,VALUE...]}. EC2 itself judges the names: an unknown one comes back as its error.
 */
public final class Ec2Filters {

    private static final Pattern AWS_CLI = Pattern.compile("Name=([^,]+),Values=(.+)");
    private static final String EXAMPLES =
            "expected NAME=VALUE[,VALUE...], for example tag:Role=web or" + " instance-type=t3.micro,t3.small";

    private Ec2Filters() {}

    /** @param option the option the texts came from, named in errors */
    public static List<Filter> parse(String option, List<String> texts) {
        List<Filter> filters = new ArrayList<>();
        for (String text : texts) {
            filters.add(parse(option, text));
        }
        return filters;
    }

    static Filter parse(String option, String text) {
        Matcher cli = AWS_CLI.matcher(text);
        String name;
        String values;
        if (cli.matches()) {
            name = cli.group(1);
            values = cli.group(2);
        } else {
            int eq = text.indexOf('=');
            if (eq < 0) {
                throw bad(option, text, "no '='");
            }
            name = text.substring(0, eq);
            values = text.substring(eq + 1);
        }
        if (name.isBlank() || !name.equals(name.strip())) {
            throw bad(option, text, name.isBlank() ? "no filter name before '='" : "space around the filter name");
        }
        List<String> split = splitValues(values);
        if (split.isEmpty() || split.stream().anyMatch(String::isEmpty)) {
            throw bad(option, text, "an empty value");
        }
        return Filter.builder().name(name).values(split).build();
    }

    /** {@code NAME=V1,V2}, as the user would write it again. */
    public static String describe(Filter filter) {
        return filter.name() + "="
                + String.join(
                        ",",
                        filter.values().stream().map(v -> v.replace(",", "\\,")).toList());
    }

    private static List<String> splitValues(String values) {
        List<String> split = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < values.length(); i++) {
            char c = values.charAt(i);
            if (c == '\\' && i + 1 < values.length()) {
                current.append(values.charAt(++i));
            } else if (c == ',') {
                split.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        split.add(current.toString());
        return split;
    }

    private static Ec2Exception bad(String option, String text, String problem) {
        return Ec2Exception.input(option + " '" + text + "': " + problem + "; " + EXAMPLES);
    }
}
