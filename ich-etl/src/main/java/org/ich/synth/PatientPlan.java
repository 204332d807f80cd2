package org.ich.synth;

import java.util.List;

/**
 * One synthetic patient: identity, anatomy, bleeds and their single CT series, decided before any pixel is drawn so
 * that rendering can run in any order and still produce the same files.
 */
public final class PatientPlan {
    private final int index;
    private final long seed;
    private final PatientPhi phi;
    private final HeadAnatomy anatomy;
    private final List<Bleed> bleeds;
    private final SeriesPlan series;
    private final String patientFolder, studyFolder;

    PatientPlan(int index, long seed, PatientPhi phi, HeadAnatomy anatomy, List<Bleed> bleeds, SeriesPlan series,
                String patientFolder, String studyFolder) {
        this.index = index;
        this.seed = seed;
        this.phi = phi;
        this.anatomy = anatomy;
        this.bleeds = List.copyOf(bleeds);
        this.series = series;
        this.patientFolder = patientFolder;
        this.studyFolder = studyFolder;
    }

    /** The same patient with another series description (see {@link SeriesPlan#with}). */
    public PatientPlan withSeries(SeriesPlan other) {
        return new PatientPlan(index, seed, phi, anatomy, bleeds, other, patientFolder, studyFolder);
    }

    public int index() { return index; }

    long seed() { return seed; }

    public PatientPhi phi() { return phi; }

    HeadAnatomy anatomy() { return anatomy; }

    List<Bleed> bleeds() { return bleeds; }

    public List<BleedType> bleedTypes() {
        return bleeds.stream().map(Bleed::type).toList();
    }

    public SeriesPlan series() { return series; }

    /** Folder names carry only an index and a hash, never PHI. */
    public String patientFolder() { return patientFolder; }

    public String studyFolder() { return studyFolder; }

    /** Path of a slice's file relative to the output root. */
    public String relativePath(int slice) {
        return patientFolder + "/" + studyFolder + "/" + series.fileNames().get(slice);
    }
}
