package org.ich.etl;

/**
 * One decoded CT slice: the pseudonymous part the slices table holds (keys, the header fields it types, the
 * de-identified header JSON, the brain-window share and the tensor), and apart from it the {@link Originals} that
 * only the crosswalk may hold. File facts (key, size, hash), the in-series index, labels and the split are added by
 * the job, which sees more than one file.
 */
public record SliceRecord(
        String sliceKey, String patientKey, String studyKey, String seriesKey,
        Double zPosition, Integer instanceNumber,
        int rows, int columns, Double pixelSpacingRow, Double pixelSpacingColumn, Double sliceThickness,
        int bitsAllocated, int bitsStored, int pixelRepresentation,
        double rescaleSlope, double rescaleIntercept, double appliedIntercept, boolean interceptFixed,
        Double windowCenter, Double windowWidth,
        String modality, String manufacturer, String manufacturerModel, Double kvp, Double xrayTubeCurrent,
        Double exposure, String convolutionKernel, String photometricInterpretation, String transferSyntax,
        String softwareVersions, String headerJson, double brainFraction, boolean isEmpty, byte[] tensor,
        int tensorChannels, int tensorSize, Originals originals) {

    /** The identifiers behind the keys: for the crosswalk only, never for an analyst table, a message or a log. */
    public record Originals(String sopInstanceUid, String seriesInstanceUid, String studyInstanceUid, String patientId,
                            String accessionNumber) {
        @Override
        public String toString() {
            return "Originals[withheld]";
        }
    }
}
