package dev.outboxrelay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route file validates against the JSON schema that camel-yaml-dsl ships (schema/camelYamlDsl.json, the one
 * IDEs and Camel's tooling check YAML routes with), so an editor shows no false alarm and a user's mistake stands out.
 * Camel itself accepts more (a placeholder where the schema wants a number), which is why this needs a test.
 */
class RouteSchemaTest {

    private static final Path ROUTES = Path.of("src/main/resources/routes");
    private static final Schema CAMEL_YAML_DSL = camelYamlDslSchema();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Stream<Path> routeFiles() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ROUTES)) {
            files = walk.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).as("route files under " + ROUTES).isNotEmpty();
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("routeFiles")
    void validatesAgainstTheCamelYamlDslSchema(Path file) throws IOException {
        JsonNode routes = YAML.readTree(file.toFile());
        List<String> errors = CAMEL_YAML_DSL.validate(routes).stream().map(Error::toString).toList();
        assertThat(errors).as(file + " against schema/camelYamlDsl.json of camel-yaml-dsl").isEmpty();
    }

    private static Schema camelYamlDslSchema() {
        try (InputStream schema = RouteSchemaTest.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            assertThat(schema).as("schema/camelYamlDsl.json on the classpath (camel-yaml-dsl)").isNotNull();
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(schema);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
