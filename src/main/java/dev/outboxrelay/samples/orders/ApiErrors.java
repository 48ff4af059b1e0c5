package dev.outboxrelay.samples.orders;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Bad input answers 400 with a JSON error that names the field (DESIGN.md, fixed interface 4). */
@RestControllerAdvice
class ApiErrors {

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<Map<String, Object>> invalid(MethodArgumentNotValidException e) {
        List<Map<String, String>> violations = e.getBindingResult().getFieldErrors().stream()
                .map(error -> Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())))
                .sorted((a, b) -> a.get("field").compareTo(b.get("field")))
                .toList();
        Map<String, String> first = violations.get(0);
        return badRequest(first.get("field"), first.get("message"), violations);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        if (e.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = fieldPath(mapping.getPath());
            String message = wrongValue(mapping);
            return badRequest(field, message, List.of(Map.of("field", field, "message", message)));
        }
        return badRequest("body", "is not valid JSON", List.of(Map.of("field", "body", "message",
                "is not valid JSON")));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, Object>> mismatch(MethodArgumentTypeMismatchException e) {
        String message = "is not a valid " + (e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName());
        return badRequest(e.getName(), message, List.of(Map.of("field", e.getName(), "message", message)));
    }

    private static ResponseEntity<Map<String, Object>> badRequest(String field, String message,
                                                                  List<Map<String, String>> violations) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(Map.of(
                "error", "invalid request", "field", field, "message", field + " " + message,
                "violations", violations));
    }

    /** Why Jackson refused a field's value; 1.5 for a quantity is refused (spring.jackson.*), not cut to 1. */
    private static String wrongValue(JsonMappingException e) {
        if (e.getCause() instanceof InputCoercionException) {
            return "is out of range";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() == Integer.class) {
            return "must be a whole number";
        }
        return "has the wrong type";
    }

    private static String fieldPath(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}
