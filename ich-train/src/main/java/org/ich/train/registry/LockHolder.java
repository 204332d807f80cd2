package org.ich.train.registry;

import org.ich.cli.UserError;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** What a lock file says about its holder, and the message when a lock stays taken. */
final class LockHolder {
    private LockHolder() {}

    /** "pid@host since time": enough to find the process, nothing about patients or credentials. */
    static String describe() {
        return ManagementFactory.getRuntimeMXBean().getName() + " since " + Instant.now() + "\n";
    }

    static UserError busy(URI lockFile, byte[] holder, Duration waited) {
        String who = new String(holder, StandardCharsets.UTF_8).trim();
        return new UserError("the champion is locked by another promotion (" + (who.isEmpty() ? "holder unknown" : who)
                + "); waited " + waited.toSeconds() + " s. If no promotion is running, a killed one left " + lockFile
                + " behind: delete it and promote again");
    }

    static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the champion lock", e);
        }
    }
}
