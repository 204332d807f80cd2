package org.ich.cluster;

import java.util.ArrayList;
import java.util.List;

/** What the cluster tests submit with: a test pseudonym key, tiny synthetic studies, and command lines. */
final class ClusterConf {
    static final String PSEUDONYM_KEY = "cluster-test-pseudonym-key-42";
    static final List<String> SMALL = List.of("ich.synth.matrix=128", "ich.synth.min-slices=8", "ich.synth.max-slices=10",
            "ich.etl.size=32");

    private ClusterConf() {}

    /** {@code command} followed by the HOCON overrides, as submit/ich and spark-submit.sh take them. */
    static List<String> args(List<String> conf, String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(conf);
        return all;
    }
}
