package io.lazarus.coordinator.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;

class Ec2FiltersTest {

    private static Filter parse(String text) {
        return Ec2Filters.parse("--ec2-filter", List.of(text)).getFirst();
    }

    @Test
    void readsNamesAndValues() {
        assertThat(parse("tag:Role=web"))
                .isEqualTo(Filter.builder().name("tag:Role").values("web").build());
        assertThat(parse("instance-type=t3.micro,t3.small").values()).containsExactly("t3.micro", "t3.small");
        assertThat(parse("tag:Env=a\\,b,c").values()).containsExactly("a,b", "c");
        assertThat(parse("tag:Query=x=y").values()).containsExactly("x=y");
        assertThat(parse("tag:Cost Center=42").name()).isEqualTo("tag:Cost Center");
    }

    @Test
    void readsTheAwsCliSyntaxToo() {
        assertThat(parse("Name=tag:Role,Values=web,db"))
                .isEqualTo(Filter.builder().name("tag:Role").values("web", "db").build());
    }

    @Test
    void badSyntaxNamesTheFilter() {
        assertThatThrownBy(() -> parse("tag:Role"))
                .isInstanceOfSatisfying(
                        Ec2Exception.class, e -> assertThat(e.input()).isTrue())
                .hasMessage("--ec2-filter 'tag:Role': no '='; expected NAME=VALUE[,VALUE...], for example tag:Role=web"
                        + " or instance-type=t3.micro,t3.small");
        assertThatThrownBy(() -> parse("=web"))
                .hasMessageStartingWith("--ec2-filter '=web': no filter name before '='");
        assertThatThrownBy(() -> parse("tag:Role=")).hasMessageStartingWith("--ec2-filter 'tag:Role=': an empty value");
        assertThatThrownBy(() -> parse("tag:Role=web,,db"))
                .hasMessageStartingWith("--ec2-filter 'tag:Role=web,,db': an empty value");
        assertThatThrownBy(() -> Ec2Filters.parse("--filter", List.of("oops")))
                .hasMessageStartingWith("--filter 'oops'");
    }

    @Test
    void describesAFilterAsItWasWritten() {
        assertThat(Ec2Filters.describe(parse("tag:Env=a\\,b,c"))).isEqualTo("tag:Env=a\\,b,c");
    }
}
