package io.lazarus.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a real broker: {@code @ExtendWith(RabbitBrokerExtension.class)} and a {@link RabbitBroker} parameter.
 * One broker serves the whole test JVM.
 */
public final class RabbitBrokerExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RabbitBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return RabbitBroker.shared();
    }
}
