package io.lazarus.coordinator.cli;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

/**
 * A command holding its report needs nothing more of the Spring context: the broker connection, the listener
 * containers and the registry file close on a thread of their own while the reports are written, instead of after
 * them. The process's own close, once the command returns, waits for this one.
 */
@Component
final class ContextRelease {

    private final ConfigurableApplicationContext context;

    ContextRelease(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** For a command that ran without a context: nothing to release. */
    static ContextRelease none() {
        return new ContextRelease(null);
    }

    void start() {
        if (context == null) {
            return;
        }
        Thread.ofPlatform().name("context-close").start(context::close);
    }
}
