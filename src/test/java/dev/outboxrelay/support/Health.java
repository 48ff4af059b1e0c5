package dev.outboxrelay.support;

import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/** /actuator/health of a running application, read with its details as the reader, whatever its HTTP status. */
public final class Health {

    private final String baseUrl;
    private final RestClient http = RestClient.create();

    public Health(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String status() {
        return (String) read().get("status");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> component(String name) {
        return (Map<String, Object>) ((Map<String, Object>) read().get("components")).get(name);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read() {
        ResponseEntity<Map> answer = http.get().uri(baseUrl + "/actuator/health")
                .header("Authorization", Actuator.readerAuthorization())
                .exchange((request, response) -> ResponseEntity.status(response.getStatusCode())
                        .body(response.bodyTo(Map.class)));
        return answer.getBody();
    }
}
