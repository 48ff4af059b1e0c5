package dev.outboxrelay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Where the CPU went during a drain, to tell what bounds it on a small machine: the client's JVM (the relay's, or
 * this one for a floor), fauxqs (a node process of this JVM's; none on Kafka or when another server is given) and the
 * machine as a whole (/proc/stat), in seconds. Steadier than a rate from run to run, so the figure to compare two
 * versions of the relay by.
 */
record Cpu(double client, double fauxqs, double machineBusy, double wall) {

    static Mark mark(Supplier<Duration> client) {
        return new Mark(client, client.get(), fauxqsCpu(), busySinceBoot(), System.nanoTime());
    }

    double clientMillisPerThousand(long events) {
        return client * 1e6 / events;
    }

    String describe(long events) {
        String fauxqsPart = fauxqs > 0 ? String.format(", fauxqs %.0f ms", fauxqs * 1e6 / events) : "";
        return String.format("CPU per 1,000 events: client %.0f ms%s; machine busy %.2f cores",
                clientMillisPerThousand(events), fauxqsPart, machineBusy / wall);
    }

    record Mark(Supplier<Duration> client, Duration clientAt, Duration fauxqsAt, double machineAt, long nanoAt) {

        Cpu since() {
            return new Cpu(seconds(client.get().minus(clientAt)), seconds(fauxqsCpu().minus(fauxqsAt)),
                    busySinceBoot() - machineAt, (System.nanoTime() - nanoAt) / 1e9);
        }
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static Duration fauxqsCpu() {
        return ProcessHandle.current().children()
                .filter(child -> child.info().command().map(command -> command.endsWith("node")).orElse(false))
                .map(node -> node.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    /** Seconds the machine spent busy since boot: the first line of /proc/stat, in USER_HZ (1/100 s). */
    private static double busySinceBoot() {
        try {
            String[] ticks = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(ticks.length, 9); i++) {
                // user nice system idle iowait irq softirq steal
                busy += i == 4 || i == 5 ? 0 : Long.parseLong(ticks[i]);
            }
            return busy / 100.0;
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
