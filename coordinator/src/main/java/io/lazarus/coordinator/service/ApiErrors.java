package io.lazarus.coordinator.service;

import io.lazarus.common.Errors;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Every refusal as RFC 9457 problem details, with the field at fault when there is one. */
@RestControllerAdvice(assignableTypes = RunsController.class)
class ApiErrors {

    private static final int MAX_DETAIL = 2000;

    @ExceptionHandler
    ProblemDetail badRequest(BadRequest e) {
        // a refusal may quote the value refused, and a value may be megabytes long; inventory problems are listed short
        String detail = e.problemCount > 0 || e.getMessage().length() <= MAX_DETAIL
                ? e.getMessage()
                : e.getMessage().substring(0, MAX_DETAIL) + "...";
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Bad request");
        problem.setProperty("field", e.field);
        if (e.problemCount > 0) {
            problem.setProperty("problemCount", e.problemCount);
        }
        return problem;
    }

    @ExceptionHandler
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        Optional<RequestSizeFilter.RequestTooLarge> tooLarge =
                Errors.causeOf(e, RequestSizeFilter.RequestTooLarge.class);
        if (tooLarge.isPresent()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                    HttpStatus.CONTENT_TOO_LARGE, tooLarge.get().getMessage());
            problem.setTitle("Content Too Large");
            problem.setProperty("maxBytes", tooLarge.get().max);
            return problem;
        }
        // a misspelt field would silently drop what it asks for (a failure limit, a canary): refused, by name
        Optional<UnrecognizedPropertyException> unknown = Errors.causeOf(e, UnrecognizedPropertyException.class);
        if (unknown.isPresent()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                    HttpStatus.BAD_REQUEST,
                    "unknown field '" + unknown.get().getPropertyName() + "'; the fields are "
                            + unknown.get().getKnownPropertyIds().stream()
                                    .map(String::valueOf)
                                    .sorted()
                                    .toList());
            problem.setTitle("Bad request");
            problem.setProperty("field", unknown.get().getPropertyName());
            return problem;
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST, "the body is not a JSON run request: " + Errors.rootLine(e));
        problem.setTitle("Bad request");
        problem.setProperty("field", "body");
        return problem;
    }

    @ExceptionHandler
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST, e.getName() + " cannot be '" + e.getValue() + "'");
        problem.setTitle("Bad request");
        problem.setProperty("field", e.getName());
        return problem;
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> tooManyStreams(EventStreams.TooManyStreams e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
        problem.setTitle("Too many event streams");
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, "10")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    @ExceptionHandler
    ProblemDetail notFound(NotFound e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Not found");
        return problem;
    }
}
