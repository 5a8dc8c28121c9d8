package io.lazarus.coordinator.inventory;

import static io.lazarus.coordinator.inventory.InventoryFixtures.ids;
import static io.lazarus.coordinator.inventory.InventoryFixtures.parse;
import static io.lazarus.coordinator.inventory.InventoryFixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InventoryLimitTest {

    private static final String FLEET = resource("fleet.ini");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            webservers                     ; www01.example.com www02.example.com www03.example.com web-admin.example.com
            southeast                      ; host1 host2 host3
            usa                            ; host1 host2 host3 nyc1.example.com nyc3.example.com nyc5.example.com
            host2                          ; host2
            db-b.example.com,host3         ; db-b.example.com host3
            dbservers:atlanta              ; db-a.example.com db-b.example.com db-c.example.com host1 host2
            ' atlanta , raleigh '          ; host1 host2 host3
            usa:&raleigh                   ; host2 host3
            usa:!atlanta                   ; host3 nyc1.example.com nyc3.example.com nyc5.example.com
            !usa:!webservers:!dbservers    ; mail.example.com
            &southeast:&raleigh            ; host2 host3
            db-*                           ; db-a.example.com db-b.example.com db-c.example.com
            *.example.com:!www*:!db-*:!nyc* ; mail.example.com web-admin.example.com
            web*                           ; www01.example.com www02.example.com www03.example.com web-admin.example.com
            www0[13].example.com           ; www01.example.com www03.example.com
            www0[!13].example.com          ; www02.example.com
            host?                          ; host1 host2 host3
            ~nyc[13]                       ; nyc1.example.com nyc3.example.com
            ~(atl|ral)                     ; host1 host2 host3
            ungrouped                      ; mail.example.com
            all:!~.*example.com            ; host1 host2 host3
            """)
    void ansiblePatternsSelectInInventoryOrder(String limit, String ids) throws Exception {
        assertThat(ids(parse("fleet.ini", FLEET, limit))).containsExactly(ids.split(" "));
    }

    @Test
    void noLimitIsEveryNode() throws Exception {
        assertThat(parse("fleet.ini", FLEET, null)).hasSize(14);
        assertThat(parse("fleet.ini", FLEET, " ")).hasSize(14);
    }

    @Test
    void thePlainFormatIsLimitedByNodeId() throws Exception {
        String plain = "web-1\nweb-2\ndeploy@10.0.0.5 name=db-1\n10.0.0.6:2222\n";

        assertThat(ids(parse("hosts", plain, "web-*"))).containsExactly("web-1", "web-2");
        assertThat(ids(parse("hosts", plain, "all:!web-2"))).containsExactly("web-1", "db-1", "10.0.0.6:2222");
        assertThat(ids(parse("hosts", plain, "db-1,10.0.0.6:2222"))).containsExactly("db-1", "10.0.0.6:2222");
        assertThat(ids(parse("hosts", plain, "ungrouped:&~web"))).containsExactly("web-1", "web-2");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            tpyo                   | limit 'tpyo': 'tpyo' matches no group or host of fleet.ini
            webservers,tpyo        | limit 'webservers,tpyo': 'tpyo' matches no group or host of fleet.ini
            usa:!tpyo              | limit 'usa:!tpyo': 'tpyo' matches no group or host of fleet.ini
            atlanta:&dbservers     | limit 'atlanta:&dbservers' leaves no host of fleet.ini
            usa:!usa               | limit 'usa:!usa' leaves no host of fleet.ini
            ","                    | limit ',' names no group or host
            @retry.txt             | limit '@retry.txt': reading the hosts from a file (@FILE) is not supported
            webservers[0]          | limit 'webservers[0]': subscripts such as 'webservers[0]' are not supported
            webservers[0:2]        | limit 'webservers[0:2]': subscripts such as 'webservers[0:2]' are not supported
            ~web(                  | limit '~web(': '~web(' is not a regular expression
            """)
    void aLimitThatMatchesNothingIsAnErrorNamingIt(String limit, String message) {
        assertThatThrownBy(() -> parse("fleet.ini", FLEET, limit))
                .isInstanceOf(LimitException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void aGroupWithoutHostsSelectsNoneAndIsNoError() throws Exception {
        String inventory = "[web]\nweb1\n[empty:children]\n[empty]\n";

        // Ansible 2.14: --limit web:db with db an existing empty group selects web's hosts; only an unknown name warns
        assertThat(ids(parse("hosts", inventory, "web:empty"))).containsExactly("web1");
        assertThatThrownBy(() -> parse("hosts", inventory, "empty"))
                .hasMessage("limit 'empty' leaves no host of hosts");
        assertThatThrownBy(() -> parse("hosts", inventory, "web:nosuch"))
                .hasMessage("limit 'web:nosuch': 'nosuch' matches no group or host of hosts");
    }
}
