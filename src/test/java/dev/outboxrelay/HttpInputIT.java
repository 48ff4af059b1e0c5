package dev.outboxrelay;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.outboxrelay.support.Actuator;
import dev.outboxrelay.support.EmbeddedDefaults;
import dev.outboxrelay.support.OutboxRows;
import dev.outboxrelay.support.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad HTTP input to the service on PostgreSQL, which refuses a NUL in text where H2 stores it: refused before it
 * reaches the database, never a 500. The actuator's operations answer 400, 404 or 409 with a message.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "outbox.relay.poll-interval=100")
@DirtiesContext
class HttpInputIT {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws IOException {
        EmbeddedDefaults.onDatabase(registry, "http-input-it", TestPostgres.newDatabase("http_input_it"));
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aNulInUserIdOrProductIdAnswers400NamingTheFieldAndWritesNothing() {
        long orders = jdbc.queryForObject("SELECT COUNT(*) FROM orders", Long.class);

        ResponseEntity<Map> nulInUser = http.postForEntity("/orders", Map.of("userId", "u-\u0000",
                "items", List.of(Map.of("productId", "p-1", "quantity", 1)), "total", 1), Map.class);
        ResponseEntity<Map> nulInProduct = http.postForEntity("/orders", Map.of("userId", "u-1",
                "items", List.of(Map.of("productId", "p-\u0000", "quantity", 1)), "total", 1), Map.class);

        assertThat(nulInUser.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(nulInUser.getBody()).containsEntry("field", "userId")
                .containsEntry("message", "userId must not contain control characters");
        assertThat(nulInProduct.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(nulInProduct.getBody()).containsEntry("field", "items[0].productId");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders", Long.class)).isEqualTo(orders);
    }

    @Test
    void aNulInAQueriedProductIdIsRefusedNotPassedToPostgres() {
        for (String query : List.of("/inventory/p-%00", "/analytics/sales/p-%00")) {
            ResponseEntity<String> answer = http.getForEntity(URI.create(http.getRootUri() + query), String.class);
            assertThat(answer.getStatusCode().value()).as(query).isIn(400, 404);
        }
    }

    @Test
    void releasingAnEventAnswers400ForABadIdOrAction404ForAnUnknownOneAnd409ForOneNotFailed() {
        UUID failed = new OutboxRows(jdbc).insertOne("parcel", "parcel-1", "not json");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "FAILED".equals(new OutboxRows(jdbc).row(failed).get("status")));

        assertAnswer(release("not-a-uuid", "retry"), HttpStatus.BAD_REQUEST, "eventId must be a UUID");
        assertAnswer(release("1-1-1-1-1", "retry"), HttpStatus.BAD_REQUEST, "eventId must be a UUID");
        assertAnswer(release(failed.toString(), "frobnicate"), HttpStatus.BAD_REQUEST, "action must be retry or skip");
        assertAnswer(release(UUID.randomUUID().toString(), "retry"), HttpStatus.NOT_FOUND, "no event");
        ResponseEntity<Map> skipped = release(failed.toString(), "skip");
        assertThat(skipped.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(skipped.getBody()).containsEntry("result", "done");
        assertAnswer(release(failed.toString(), "retry"), HttpStatus.CONFLICT, "is SKIPPED");
    }

    @Test
    void aReplayOfAnUnknownServiceAnswers404AndAnUnknownAction400() {
        assertAnswer(Actuator.admin(http).postForEntity("/actuator/deadletters/nosuch/replay", null, Map.class),
                HttpStatus.NOT_FOUND, "no receiving service nosuch");
        assertAnswer(Actuator.admin(http).postForEntity("/actuator/deadletters/analytics/frobnicate", null, Map.class),
                HttpStatus.BAD_REQUEST, "action must be replay");
    }

    private ResponseEntity<Map> release(String eventId, String action) {
        return Actuator.admin(http).postForEntity("/actuator/outbox/" + eventId + "/" + action, null, Map.class);
    }

    private static void assertAnswer(ResponseEntity<Map> answer, HttpStatus status, String message) {
        assertThat(answer.getStatusCode()).isEqualTo(status);
        assertThat((String) answer.getBody().get("message")).contains(message);
    }
}
