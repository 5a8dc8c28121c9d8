package io.lazarus.worker.limit;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/** {@code GET /actuator/limit}: the in-flight limit, what runs and waits under it, and why it last moved. */
@Component
@Endpoint(id = "limit")
class LimitEndpoint {

    private final InFlightLimit limit;

    LimitEndpoint(InFlightLimit limit) {
        this.limit = limit;
    }

    @ReadOperation
    public InFlightLimit.Status limit() {
        return limit.status();
    }
}
