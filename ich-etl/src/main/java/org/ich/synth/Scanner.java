package org.ich.synth;

import java.util.List;

/** The acquisition side of a series header: which scanner, which technique, which reconstruction kernel. */
public record Scanner(String manufacturer, String model, String kernel, int kvp, int tubeCurrent, String station) {

    private record Make(String manufacturer, List<String> models, List<String> kernels) {}

    private static final List<Make> MAKES = List.of(
            new Make("GE MEDICAL SYSTEMS", List.of("LightSpeed VCT", "Revolution CT", "Optima CT660"), List.of("STANDARD", "SOFT", "HEAD")),
            new Make("SIEMENS", List.of("SOMATOM Definition AS", "SOMATOM Force", "SOMATOM go.Up"), List.of("H30s", "J40s", "Hr38")),
            new Make("TOSHIBA", List.of("Aquilion ONE", "Aquilion PRIME"), List.of("FC21", "FC26")),
            new Make("Philips", List.of("Brilliance 64", "iCT 256", "Ingenuity CT"), List.of("UB", "UC")));

    static Scanner draw(SeededRandom r) {
        Make make = r.pick(MAKES);
        return new Scanner(make.manufacturer(), r.pick(make.models()), r.pick(make.kernels()), r.pick(List.of(100, 120, 120, 140)),
                r.between(150, 380), "CT" + r.between(1, 9));
    }
}
