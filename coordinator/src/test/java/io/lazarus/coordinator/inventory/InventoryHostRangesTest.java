package io.lazarus.coordinator.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InventoryHostRangesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            web[01:03].example.com | web01.example.com web02.example.com web03.example.com
            web[8:11]              | web8 web9 web10 web11
            web[098:100]           | web098 web099 web100
            db-[a:d]               | db-a db-b db-c db-d
            db-[y:B]               | db-y db-z db-A db-B
            node[1:10:3]           | node1 node4 node7 node10
            node[a:g:2]            | nodea nodec nodee nodeg
            n[:2]                  | n0 n1 n2
            r[1:2]-[a:b]           | r1-a r1-b r2-a r2-b
            [a:c].example.com      | a.example.com b.example.com c.example.com
            plain.example.com      | plain.example.com
            """)
    void rangesExpandInOrder(String pattern, String names) {
        assertThat(HostRanges.expand(pattern).names()).containsExactly(names.split(" "));
        assertThat(HostRanges.expand(pattern).port()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            web[1:2]:2222       | 2222 | web1 web2
            db.example.com:2200 | 2200 | db.example.com
            [2001:db8::1]:2201  | 2201 | 2001:db8::1
            [2001:db8::1]       |      | 2001:db8::1
            2001:db8::1         |      | 2001:db8::1
            fe80:0:0:0:0:0:0:1  |      | fe80:0:0:0:0:0:0:1
            """)
    void aPortFollowsTheLastColonOutsideBrackets(String pattern, Integer port, String names) {
        HostRanges.Expansion expansion = HostRanges.expand(pattern);

        assertThat(expansion.port()).isEqualTo(port);
        assertThat(expansion.names()).containsExactlyElementsOf(Arrays.asList(names.split(" ")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            web[3:1]        | range [3:1] in 'web[3:1]' ends before it begins
            web[c:a]        | range [c:a] in 'web[c:a]' ends before it begins
            web[1:]         | range [1:] in 'web[1:]' has no end
            web[[1:2]]      | unbalanced brackets in 'web[[1:2]]'
            web[01:100]     | range [01:100] in 'web[01:100]': a zero-padded range needs begin and end of the same width
            web[a:3]        | must run between two numbers or two letters
            web[aa:bb]      | must run between two numbers or two letters
            web[1:4:0]      | range [1:4:0] in 'web[1:4:0]': the step must be a positive number
            web[1:4:x]      | the step must be a positive number
            web[1-3]        | range [1-3] in 'web[1-3]' is not [begin:end] or [begin:end:step]
            web[1:2:3:4]    | is not [begin:end] or [begin:end:step]
            web[1:3         | unbalanced brackets in 'web[1:3'
            web1:3]         | unbalanced brackets in 'web1:3]'
            web[0:999999]   | range [0:999999] in 'web[0:999999]' names more than 100000 hosts
            a[0:999]b[0:999] | 'a[0:999]b[0:999]' names more than 100000 hosts
            web:ssh         | port 'ssh' is not a number in 'web:ssh'
            web:70000       | port 70000 is out of range 1..65535 in 'web:70000'
            a:b:c           | cannot read 'a:b:c' as a host, host:port or host range
            :22             | missing host in ':22'
            """)
    void invalidRangesAndPortsAreNamed(String pattern, String message) {
        assertThatThrownBy(() -> HostRanges.expand(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
