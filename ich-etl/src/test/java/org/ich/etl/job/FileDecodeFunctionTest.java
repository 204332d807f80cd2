package org.ich.etl.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import org.junit.jupiter.api.Test;

class FileDecodeFunctionTest {

    private static final byte[] FILE = {1, 2, 3, 4, 5, 6, 7};

    @Test
    void aFileIsReadWhateverItsSizeSinceTheListing() throws IOException {
        assertArrayEquals(FILE, FileDecodeFunction.readListed(new ByteArrayInputStream(FILE), FILE.length), "as listed");
        assertArrayEquals(FILE, FileDecodeFunction.readListed(new ByteArrayInputStream(FILE), 3), "grown since");
        assertArrayEquals(FILE, FileDecodeFunction.readListed(new ByteArrayInputStream(FILE), 100), "shrunk since");
        assertArrayEquals(new byte[0], FileDecodeFunction.readListed(new ByteArrayInputStream(new byte[0]), 0), "empty");
    }
}
