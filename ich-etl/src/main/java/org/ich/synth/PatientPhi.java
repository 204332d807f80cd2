package org.ich.synth;

import java.util.List;

/**
 * The identifying header values synth writes for one patient and study. They are invented, but shaped like the
 * real thing so that tests can prove none of them survives into tables, logs or reports.
 *
 * @param patientName            DICOM PN, "Family^Given"
 * @param familyName             the family name alone, the part most likely to leak into free text
 * @param patientId              medical record number
 * @param birthDate              DICOM DA, yyyyMMdd
 * @param sex                    "F" or "M"
 * @param age                    DICOM AS at the study date, e.g. "067Y"
 * @param address                one-line street address
 * @param accessionNumber        the study's accession number
 * @param referringPhysicianName DICOM PN of the referring physician
 * @param referringFamilyName    the referring physician's family name alone
 * @param institutionName        hospital name (shared by many patients)
 * @param studyDate              DICOM DA
 * @param studyTime              DICOM TM, drawn from the seed (never the clock)
 */
public record PatientPhi(String patientName, String familyName, String patientId, String birthDate, String sex, String age,
                         String address, String accessionNumber, String referringPhysicianName, String referringFamilyName,
                         String institutionName, String studyDate, String studyTime) {

    /**
     * Strings that must never appear in ich's outputs: names, identifiers, birth date, address, accession number.
     * The institution and study date are left out on purpose: they identify no one alone and a pipeline may keep
     * them as acquisition metadata.
     */
    public List<String> identifyingStrings() {
        return List.of(patientName, familyName, patientId, birthDate, address, accessionNumber, referringPhysicianName,
                referringFamilyName);
    }
}
