package dev.outboxrelay.support;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.springframework.boot.test.web.client.TestRestTemplate;

/** The actuator users of the tests (src/test/resources/config/application.yaml). */
public final class Actuator {

    public static final String ADMIN = "test-admin";
    public static final String ADMIN_PASSWORD = "test-admin-password";
    public static final String READER = "test-reader";
    public static final String READER_PASSWORD = "test-reader-password";

    private Actuator() {
    }

    public static TestRestTemplate admin(TestRestTemplate http) {
        return http.withBasicAuth(ADMIN, ADMIN_PASSWORD);
    }

    public static TestRestTemplate reader(TestRestTemplate http) {
        return http.withBasicAuth(READER, READER_PASSWORD);
    }

    /** The Authorization header value of the reader, for clients other than TestRestTemplate. */
    public static String readerAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((READER + ":" + READER_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
    }

    public static HttpRequest.Builder asReader(HttpRequest.Builder request) {
        return request.header("Authorization", readerAuthorization());
    }
}
