package org.ich.train.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's .npy format (version 1.0), as much of it as the quality benchmark hands to and takes from its Python
 * reference: C-order uint8 arrays out, C-order little-endian float32 arrays in.
 */
final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    private static final Pattern SHAPE = Pattern.compile("'shape': \\(([0-9, ]*)\\)");

    private Npy() {
    }

    /** Writes {@code bytes} as a uint8 array of {@code shape}. */
    static void writeUint8(Path file, byte[] bytes, long... shape) throws IOException {
        if (Arrays.stream(shape).reduce(1, (a, b) -> a * b) != bytes.length) {
            throw new IllegalArgumentException(bytes.length + " bytes do not make shape " + Arrays.toString(shape));
        }
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String header = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + dims.toString().trim() + "), }";
        // The magic, version and length take 10 bytes; the header is padded with spaces to a multiple of 64.
        int unpadded = 10 + header.length() + 1;
        String padded = header + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(MAGIC);
            int length = padded.length();
            out.write(length & 0xFF);
            out.write(length >> 8);
            out.write(padded.getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
        }
    }

    /** Reads a float32 array of {@code columns} columns as rows of doubles. */
    static double[][] readFloat32Matrix(Path file, int columns) throws IOException {
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
            byte[] magic = data.readNBytes(MAGIC.length);
            if (magic.length < 6 || magic[1] != 'N' || magic[5] != 'Y') {
                throw new IOException(file + " is not a .npy file");
            }
            int length = Byte.toUnsignedInt(data.readByte()) | Byte.toUnsignedInt(data.readByte()) << 8;
            String header = new String(data.readNBytes(length), StandardCharsets.US_ASCII);
            if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
                throw new IOException(file + ": expected a C-order float32 array, header " + header.trim());
            }
            Matcher shape = SHAPE.matcher(header);
            if (!shape.find()) {
                throw new IOException(file + ": no shape in header " + header.trim());
            }
            String[] dims = shape.group(1).replace(" ", "").split(",");
            int rows = Integer.parseInt(dims[0]);
            if (dims.length < 2 || Integer.parseInt(dims[1]) != columns) {
                throw new IOException(file + ": expected " + columns + " columns, header " + header.trim());
            }
            ByteBuffer values = ByteBuffer.wrap(data.readNBytes(rows * columns * 4)).order(ByteOrder.LITTLE_ENDIAN);
            double[][] out = new double[rows][columns];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < columns; j++) {
                    out[i][j] = values.getFloat();
                }
            }
            return out;
        }
    }
}
