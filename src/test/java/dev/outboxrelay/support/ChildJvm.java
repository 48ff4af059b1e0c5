package dev.outboxrelay.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The application in a JVM of its own, so that a test can kill it as an operator or the kernel would. */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** Starts {@code mainClass} with this JVM's class path; its output goes to {@code target/<logName>.log}. */
    public static Process start(Class<?> mainClass, List<String> jvmOptions, List<String> args, String logName)
            throws IOException {
        return start(mainClass, jvmOptions, args, logName, Path.of("").toAbsolutePath());
    }

    /** The same, in another working directory, where the application's relative paths ({@code ./data}) point. */
    public static Process start(Class<?> mainClass, List<String> jvmOptions, List<String> args, String logName,
                                Path workingDir) throws IOException {
        return start(mainClass.getName(), jvmOptions, args, logName, workingDir);
    }

    /** A main class by name, such as a server's own launcher on the test class path. */
    public static Process start(String mainClass, List<String> jvmOptions, List<String> args, String logName,
                                Path workingDir) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        File log = Path.of("target", logName + ".log").toAbsolutePath().toFile();
        return new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log).start();
    }

    /** SIGKILL: no shutdown hook, no graceful stop, nothing flushed or acknowledged. */
    public static void kill9(Process process) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-9", Long.toString(process.pid())).inheritIO().start().waitFor();
        process.waitFor();
    }
}
