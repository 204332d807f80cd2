package org.ich.synth;

import java.util.List;

/**
 * Everything about one axial series except its pixels: grid, slice positions, pixel encoding, header quirks, UIDs
 * and file names. Geometry values are already rounded to what the header states, so the pixels are rendered on
 * exactly the grid the header describes.
 *
 * @param firstZ  head-frame z (mm) of slice 0, the most inferior; slices ascend by {@code sliceSpacing}
 * @param tableZ  patient-frame z of the head centre, so ImagePositionPatient z = tableZ + headZ
 * @param windows WindowCenter/WindowWidth pairs; more than one gives the multi-valued form
 */
public record SeriesPlan(int seriesNumber, int rows, int columns, double pixelSpacing, double sliceSpacing, double firstZ,
                         double tableZ, int slices, CtEncoding encoding, TransferSyntax syntax, List<Window> windows,
                         Scanner scanner, String studyUid, String seriesUid, String frameOfReferenceUid,
                         List<String> sopUids, List<String> fileNames) {

    /** A display window in HU. */
    public record Window(int center, int width) {}

    public SeriesPlan {
        windows = List.copyOf(windows);
        sopUids = List.copyOf(sopUids);
        fileNames = List.copyOf(fileNames);
        if (sopUids.size() != slices || fileNames.size() != slices) throw new IllegalArgumentException("one UID and file name per slice");
    }

    public double headZ(int slice) {
        return firstZ + slice * sliceSpacing;
    }

    public double patientZ(int slice) {
        return tableZ + headZ(slice);
    }

    public boolean multiWindow() {
        return windows.size() > 1;
    }

    /**
     * The same series, pixels and all, written another way: for "twin" tests that decode one phantom in a quirky
     * and a clean encoding. The series and instance UIDs change so both can sit in one input folder.
     */
    public SeriesPlan with(CtEncoding newEncoding, TransferSyntax newSyntax, String uidSuffix) {
        return new SeriesPlan(seriesNumber, rows, columns, pixelSpacing, sliceSpacing, firstZ, tableZ, slices, newEncoding, newSyntax,
                windows, scanner, studyUid, seriesUid + "." + uidSuffix, frameOfReferenceUid,
                sopUids.stream().map(u -> u + "." + uidSuffix).toList(), fileNames);
    }
}
