package io.thingport.network.http;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code curl} command and captures its exit code, the HTTP status and the body. */
final class Curl {
    record Result(int exit, int status, String body, String stderr) {
    }

    private Curl() {
    }

    /** {@code curl -sS --max-time 30 -w "\n%{http_code}" <args>}. */
    static Result run(String... args) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30", "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        try {
            File err = File.createTempFile("curl", ".err");
            try {
                Process p = new ProcessBuilder(command).redirectError(err).redirectInput(ProcessBuilder.Redirect.PIPE).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("curl did not finish: " + command);
                }
                int nl = out.lastIndexOf('\n');
                String body = nl < 0 ? "" : out.substring(0, nl);
                String code = out.substring(nl + 1).trim();
                return new Result(p.exitValue(), code.isEmpty() ? 0 : Integer.parseInt(code), body,
                        Files.readString(err.toPath()));
            } finally {
                err.delete();
            }
        } catch (IOException e) {
            throw new IllegalStateException("the tests need the curl command", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
