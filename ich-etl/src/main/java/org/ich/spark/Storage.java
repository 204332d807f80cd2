package org.ich.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ich.config.CommonConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;

/** Reads and writes single files on any storage ich supports (file:, s3a://, hdfs://) through Hadoop's FileSystem. */
public final class Storage {
    private final Configuration hadoop;

    public Storage(Configuration hadoop) {
        this.hadoop = hadoop;
    }

    /** Storage for driver-side code that runs without a Spark session (synth, reports). */
    public static Storage of(CommonConfig common) {
        Configuration conf = new Configuration();
        S3a.configure(conf, common.s3());
        return new Storage(conf);
    }

    public Configuration hadoop() { return hadoop; }

    public FileSystem fs(URI uri) throws IOException {
        return FileSystem.get(uri, hadoop);
    }

    public OutputStream create(URI uri) throws IOException {
        return fs(uri).create(new Path(uri), true);
    }

    public InputStream open(URI uri) throws IOException {
        return fs(uri).open(new Path(uri));
    }

    public byte[] readAll(URI uri) throws IOException {
        try (InputStream in = open(uri)) {
            return in.readAllBytes();
        }
    }

    public static URI child(URI dir, String name) {
        String s = dir.toString();
        return URI.create(s.endsWith("/") ? s + name : s + "/" + name);
    }
}
