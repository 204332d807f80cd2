package org.ich.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * File names as archives produce them: a naming scheme per series, and per file usually ".dcm" but sometimes no
 * extension or an upper-case one, so the ETL cannot get away with selecting files by name.
 */
final class FileNames {
    private FileNames() {}

    static List<String> draw(SeededRandom r, int seriesNumber, List<String> sopUids) {
        int scheme = r.nextInt(4);
        List<String> names = new ArrayList<>(sopUids.size());
        for (int k = 0; k < sopUids.size(); k++) {
            int instance = k + 1;
            String stem = switch (scheme) {
                case 0 -> String.format(Locale.ROOT, "IM-%04d-%04d", seriesNumber, instance);
                case 1 -> "CT." + sopUids.get(k);
                case 2 -> String.format(Locale.ROOT, "slice_%03d", instance);
                default -> String.format(Locale.ROOT, "I%07d", instance * 10);
            };
            double u = r.nextDouble();
            names.add(stem + (u < 0.8 ? ".dcm" : u < 0.9 ? "" : ".DCM"));
        }
        return names;
    }
}
