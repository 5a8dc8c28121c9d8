package io.lazarus.coordinator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.InvalidField;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;

class ApiErrorsTest {

    @Test
    void aRefusedFieldIsNamedAsTheRequestsField() {
        ProblemDetail problem = new ApiErrors()
                .badRequest(BadRequest.of(new InvalidField("watchdog.stallRetries", "must be 0 or more, was -1")));

        assertThat(problem.getStatus()).isEqualTo(400);
        assertThat(problem.getProperties()).containsEntry("field", "stallRetries");
        assertThat(problem.getDetail()).isEqualTo("stallRetries must be 0 or more, was -1");
    }
}
