package org.ich.etl;

/**
 * One decoded, de-identified CT slice: the header fields the slices table types, the PHI-free header JSON, the
 * brain-window share and the tensor. File facts (URI, size, hash), the in-series index, labels and the split are
 * added by the job, which sees more than one file.
 */
public record SliceRecord(
        String sopInstanceUid, String patientKey, String studyKey, String seriesKey,
        Double zPosition, Integer instanceNumber,
        int rows, int columns, Double pixelSpacingRow, Double pixelSpacingColumn, Double sliceThickness,
        int bitsAllocated, int bitsStored, int pixelRepresentation,
        double rescaleSlope, double rescaleIntercept, double appliedIntercept, boolean interceptFixed,
        Double windowCenter, Double windowWidth,
        String modality, String manufacturer, String manufacturerModel, Double kvp, Double xrayTubeCurrent,
        Double exposure, String convolutionKernel, String photometricInterpretation, String transferSyntax,
        String headerJson, double brainFraction, boolean isEmpty, byte[] tensor, int tensorChannels, int tensorSize) {
}
