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

    /**
     * One series of {@code /actuator/prometheus} as the reader scrapes it, such as
     * {@code receiver_dead_letters{service="email"}}; NaN when the relay does not export it.
     */
    public static double sample(TestRestTemplate http, String series) {
        String prometheus = reader(http).getForObject("/actuator/prometheus", String.class);
        return prometheus.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .findFirst().orElse(Double.NaN);
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
