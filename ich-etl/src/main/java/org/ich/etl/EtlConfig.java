package org.ich.etl;

import com.typesafe.config.Config;
import org.ich.config.CommonConfig;
import org.ich.config.ConfigError;
import org.ich.config.Settings;
import org.ich.pixel.Window;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** Typed, validated settings of {@code ich etl} (section {@code ich.etl} of conf/application.conf). */
public record EtlConfig(CommonConfig common, URI input, URI labels, PixelParams pixels, SplitPolicy split,
                        PrivacyConfig privacy, FileLimits limits, RetryPolicy retry, int partitions,
                        double labelsMaxBadShare) {

    public static EtlConfig from(Settings s) {
        return new EtlConfig(CommonConfig.from(s), s.storageUri("ich.etl.input"), s.optionalStorageUri("ich.etl.labels"),
                pixelParams(s), split(s), PrivacyConfig.from(s), FileLimits.from(s), RetryPolicy.from(s),
                s.integer("ich.etl.partitions", 0, 1_000_000), s.number(LabelAudit.MAX_BAD_SHARE_KEY, 0, 1));
    }

    /** The ETL of another input with the same pixel, split and privacy settings, and no labels (e.g. ich score --input). */
    public EtlConfig ingesting(URI other) {
        return new EtlConfig(common, other, null, pixels, split, privacy, limits, retry, partitions, labelsMaxBadShare);
    }

    public static PixelParams pixelParams(Settings s) {
        List<Window> windows = new ArrayList<>();
        var names = new HashSet<String>();
        int i = 0;
        for (Config w : s.objects("ich.etl.windows")) {
            String key = "ich.etl.windows[" + i++ + "]";
            if (!w.hasPath("name") || !w.hasPath("center") || !w.hasPath("width")) {
                throw new ConfigError(key, "each window needs name, center and width, e.g. { name = \"brain\", center = 40, width = 80 }");
            }
            double width = w.getDouble("width");
            if (!(width > 0)) throw new ConfigError(key + ".width", "must be > 0, got " + width);
            if (!names.add(w.getString("name"))) throw new ConfigError(key + ".name", "duplicate window name " + w.getString("name"));
            windows.add(new Window(w.getString("name"), w.getDouble("center"), width));
        }
        if (windows.isEmpty()) throw new ConfigError("ich.etl.windows", "needs at least one window");
        return new PixelParams(windows, s.integer("ich.etl.size", 8, 2048), s.number("ich.etl.empty-threshold", 0, 1),
                (float) s.number("ich.etl.head-threshold-hu", -1024, 3000), s.integer("ich.etl.crop-margin", 0, 512));
    }

    static SplitPolicy split(Settings s) {
        double train = s.number("ich.etl.split.train", 0, 1), valid = s.number("ich.etl.split.valid", 0, 1),
                test = s.number("ich.etl.split.test", 0, 1);
        if (Math.abs(train + valid + test - 1) > 1e-6) {
            throw new ConfigError("ich.etl.split", "train + valid + test must be 1, got " + (train + valid + test));
        }
        return new SplitPolicy(train, valid, test, s.string("ich.etl.split.salt"));
    }

    @Override
    public String toString() {
        return "EtlConfig[input=" + input + ", labels=" + labels + ", labelsMaxBadShare=" + labelsMaxBadShare + ", pixels=" + pixels
                + ", split=" + split + ", privacy=" + privacy + ", limits=" + limits + ", retry=" + retry + ", partitions=" + partitions
                + ", warehouse=" + common.warehouse() + "]";
    }
}
