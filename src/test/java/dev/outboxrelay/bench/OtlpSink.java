package dev.outboxrelay.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

/**
 * Takes the spans a traced run's relay exports over OTLP/HTTP and drops them, so that the relay pays for recording
 * and exporting its spans as it does beside a collector (README, "Tracing"). Without an exporter the relay makes no
 * span at all.
 */
final class OtlpSink implements AutoCloseable {

    private final HttpServer server;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    private OtlpSink(HttpServer server) {
        this.server = server;
    }

    static OtlpSink start() throws IOException {
        OtlpSink sink = new OtlpSink(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        sink.server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                sink.bytes.addAndGet(body.readAllBytes().length);
            }
            sink.requests.incrementAndGet();
            // an empty ExportTraceServiceResponse: every span accepted
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        sink.server.start();
        return sink;
    }

    /** For management.otlp.tracing.endpoint. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    long requests() {
        return requests.get();
    }

    long bytes() {
        return bytes.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
