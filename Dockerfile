# The relay's image, from the layers of the Spring Boot jar (README, Deploying). Build it with
#   ./mvnw -Pimage -DskipTests package
# or by hand: ./mvnw -DskipTests package, then
#   java -Djarmode=tools -jar target/outbox-relay-*.jar extract --layers --launcher --destination target/extracted
#   docker build -t outbox-relay .
# The layers are extracted on the host so that each is one image layer: a new build of the relay changes the small
# application layer only, and the 100 MB of dependencies stay cached.
FROM eclipse-temurin:17.0.19_10-jre-noble

# a user of its own: the relay never runs as root; /app/data holds the H2 file and the embedded broker's messages
RUN groupadd --system --gid 10001 relay \
    && useradd --system --uid 10001 --gid relay --home-dir /app --no-create-home relay \
    && mkdir -p /app/data && chown relay:relay /app/data
WORKDIR /app

COPY target/extracted/dependencies/ ./
COPY target/extracted/spring-boot-loader/ ./
COPY target/extracted/snapshot-dependencies/ ./
COPY target/extracted/application/ ./

USER 10001:10001
EXPOSE 8080
# liveness only: the process answers. A broker or database outage shows in /actuator/health, and must not get the
# container restarted. The port follows PORT, or management.server.port when the actuator has a port of its own.
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${MANAGEMENT_PORT:-${PORT:-8080}}/actuator/health/liveness" || exit 1
# exec form: java is PID 1 and gets the SIGTERM of docker stop, so an in-flight batch is marked before it exits
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "org.springframework.boot.loader.launch.JarLauncher"]
