package dev.outboxrelay.broker;

import java.nio.file.Path;

/** The embedded broker alone in a JVM of its own (args: port, data dir), for a test to kill. */
public final class EmbeddedBrokerProcess {

    private EmbeddedBrokerProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        new EmbeddedBroker(new EmbeddedBrokerProperties(Integer.parseInt(args[0]), Path.of(args[1]), true)).start();
        Thread.currentThread().join();
    }
}
