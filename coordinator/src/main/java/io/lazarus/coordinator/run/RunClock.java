package io.lazarus.coordinator.run;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one clock the run core reads: the system's in production, one a test moves by hand in the core's tests. */
@Configuration(proxyBeanMethods = false)
class RunClock {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
