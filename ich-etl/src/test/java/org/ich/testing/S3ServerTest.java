package org.ich.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class S3ServerTest {
    @Test
    void listensOnLoopbackOnly(@TempDir Path dir) throws Exception {
        try (S3Server s3 = S3Server.start(dir, "probe")) {
            String hexPort = String.format("%04X", s3.port());
            List<String> listeners = Files.readAllLines(Path.of("/proc/net/tcp6")).stream().skip(1)
                    .map(String::trim).filter(l -> l.split("\\s+")[1].endsWith(":" + hexPort) && l.split("\\s+")[3].equals("0A"))
                    .toList();
            List<String> v4 = Files.readAllLines(Path.of("/proc/net/tcp")).stream().skip(1)
                    .map(String::trim).filter(l -> l.split("\\s+")[1].endsWith(":" + hexPort) && l.split("\\s+")[3].equals("0A"))
                    .toList();
            assertFalse(listeners.isEmpty() && v4.isEmpty(), "the server listens on its port");
            for (String l : listeners) {
                String addr = l.split("\\s+")[1].split(":")[0];
                assertNotEquals("00000000000000000000000000000000", addr, "bound to all interfaces: " + l);
            }
            for (String l : v4) assertEquals("0100007F", l.split("\\s+")[1].split(":")[0], "bound beyond loopback: " + l);
        }
    }
}
