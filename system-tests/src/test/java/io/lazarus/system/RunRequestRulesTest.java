package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.Contracts;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.ServiceApi;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.ServiceProcess;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * One rule, one message: the same bad value refused by {@code lazarus run} names its option, by {@code POST /api/runs}
 * its JSON field, and says the same thing after the name.
 */
class RunRequestRulesTest {

    private static final String TOKEN = "rules-token-0123456789";

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create();

    static ServiceApi api;

    @BeforeAll
    static void serve() throws Exception {
        ServiceProcess service = system.startService(Map.of("LAZARUS_SERVICE_API_TOKEN", TOKEN));
        api = ServiceApi.at("http://127.0.0.1:" + service.port() + "/api/runs", TOKEN);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            port out of range         | --port 0                          | "port":0                    | port
            not a duration            | --stall-timeout soon              | "stallTimeout":"soon"       | stallTimeout
            unknown resurrect mode    | --resurrect sometimes             | "resurrect":"sometimes"     | resurrect
            delay without auto        | --resurrect-delay 10s             | "resurrectDelay":"10s"      | resurrectDelay
            failure budget over 100%  | --wait --max-failures 200%        | "maxFailures":"200%"        | maxFailures
            no canary                 | --wait --canary 0                 | "canary":0                  | canary
            lower case secret name    | --secret db_password              | "secrets":["db_password"]   | secrets
            variable name not a name  | --var tomcat-version=10           | "vars":{"tomcat-version":1} | vars
            unknown release order     | --order fastest                   | "order":"fastest"           | order
            """)
    void theCommandLineAndTheApiRefuseABadValueWithTheSameRule(String rule, String options, String json, String field)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "run",
                "--inventory",
                system.write("rules.inventory", "web-1\n"),
                "--script",
                system.write("install.sh", "true\n")));
        args.addAll(List.of(options.split(" ")));
        String option = options.replace("--wait ", "").split(" ")[0];

        LazarusCli.Result cli = system.lazarus(args.toArray(String[]::new));
        HttpResponse<String> api =
                RunRequestRulesTest.api.post("", "{\"inventory\":\"web-1\",\"script\":\"true\"," + json + "}");

        assertThat(api.statusCode()).as(api.body()).isEqualTo(400);
        JsonNode problem = Contracts.mapper().readTree(api.body());
        assertThat(problem.get("field").asString()).isEqualTo(field);
        String detail = problem.get("detail").asString();
        assertThat(detail).startsWith(field + " ");
        String said = detail.substring(field.length()).strip();
        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
        assertThat(cli.stderr()).as(rule).contains(option).contains(said);
    }
}
