package dev.outboxrelay;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.outboxrelay.support.EmbeddedDefaults;
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

/**
 * Bad HTTP input to the service on PostgreSQL, which refuses a NUL in text where H2 stores it: refused before it
 * reaches the database, never a 500.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "outbox.relay.poll-interval=100")
@DirtiesContext
class HttpInputIT {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws IOException {
        EmbeddedDefaults.onPostgres(registry, "http-input-it", TestPostgres.newDatabase("http_input_it"));
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
}
