package io.lazarus.worker.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class MaskingPropertiesTest {

    @Test
    void theBoundDefaultsAreThePatternsAsWrittenCommasIncluded() {
        MaskingProperties bound = new Binder(new MapConfigurationPropertySource(Map.of("lazarus.worker.prefetch", "5")))
                .bindOrCreate("lazarus.worker", MaskingProperties.class);

        assertThat(bound.maskPatterns())
                .isEqualTo(MaskingProperties.defaults().maskPatterns())
                .hasSize(6);
    }

    @Test
    void configuredPatternsReplaceTheDefaults() {
        MaskingProperties bound = new Binder(new MapConfigurationPropertySource(
                        Map.of("lazarus.worker.mask-patterns[0]", "token-[0-9]{4,}")))
                .bindOrCreate("lazarus.worker", MaskingProperties.class);

        assertThat(bound.maskPatterns()).containsExactly("token-[0-9]{4,}");
    }
}
