package org.ich.synth;

import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Invents patients, physicians and hospitals. Family names are long and unusual enough that a grep for them in a
 * table or log does not match ordinary words; identifiers are unique within a cohort.
 */
final class SyntheticPeople {
    private static final List<String> FAMILY = List.of(
            "Abernathy", "Blackwood", "Castellano", "Delacroix", "Eastwick", "Fairbanks", "Galloway", "Hargreaves",
            "Ingleby", "Jankowski", "Kettleworth", "Lindqvist", "Montgomery", "Nakashima", "Oyelaran", "Pemberton",
            "Quintero", "Rasmussen", "Sandoval", "Thornbury", "Underhill", "Valderrama", "Whitcombe", "Yamaguchi",
            "Zielinski", "Achterberg", "Bellingham", "Cavendish", "Drummond", "Esposito", "Fitzgerald", "Gustafsson",
            "Halvorsen", "Iwasaki", "Kowalczyk", "Lancaster", "Marchetti", "Nightingale", "Okonkwo", "Pettigrew",
            "Rutherford", "Szymanski", "Tremblay", "Vanderberg", "Wainwright", "Albrecht", "Brannigan", "Chatterjee");
    private static final List<String> GIVEN_F = List.of(
            "Margaret", "Eleanor", "Beatrice", "Rosalind", "Harriet", "Josephine", "Clementine", "Gwendolyn",
            "Ingrid", "Philippa", "Henrietta", "Cordelia", "Ottilie", "Marisol", "Yolanda", "Theodora");
    private static final List<String> GIVEN_M = List.of(
            "Bartholomew", "Cornelius", "Frederick", "Leopold", "Augustin", "Desmond", "Ignatius", "Reginald",
            "Mortimer", "Thaddeus", "Percival", "Leonard", "Octavio", "Benedikt", "Florian", "Ambrose");
    private static final List<String> STREETS = List.of(
            "Juniper", "Larkspur", "Sycamore", "Wexford", "Hollyhock", "Ravenscroft", "Marigold", "Alderbrook",
            "Quarry Hill", "Bramblewood", "Foxglove", "Kingfisher", "Heatherdale", "Old Mill", "Copperbeech");
    private static final List<String> STREET_KINDS = List.of("Street", "Avenue", "Lane", "Road", "Drive", "Court", "Way");
    private static final List<String> TOWNS = List.of(
            "Maplecrest", "Riverton Falls", "Eastbourne Hills", "Cedar Hollow", "Northgate", "Willowmere",
            "Stonebridge", "Ashford Vale", "Lakewood Springs", "Harrowfield");
    private static final List<String> HOSPITALS = List.of(
            "%s General Hospital", "%s Regional Medical Center", "St. Aldric Hospital of %s", "%s University Clinic");
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    private final long seed;
    private final Set<String> usedIds = new HashSet<>();

    SyntheticPeople(long seed) {
        this.seed = seed;
    }

    /** Drawn in patient order from one stream, so uniqueness checks see every earlier patient. */
    PatientPhi patient(int index) {
        SeededRandom r = SeededRandom.derive(seed, "phi", index);
        boolean female = r.chance(0.5);
        String family = r.pick(FAMILY);
        String given = r.pick(female ? GIVEN_F : GIVEN_M);
        LocalDate study = LocalDate.of(2015, 1, 1).plusDays(r.nextInt(9 * 365));
        int ageYears = r.between(18, 92);
        LocalDate birth = study.minusYears(ageYears).minusDays(r.nextInt(365));
        int age = Period.between(birth, study).getYears();
        String town = r.pick(TOWNS);
        String address = r.between(11, 9899) + " " + r.pick(STREETS) + " " + r.pick(STREET_KINDS) + ", " + town + " "
                + String.format(Locale.ROOT, "%05d", r.between(10000, 99899));
        String refFamily = r.pick(FAMILY);
        String refGiven = r.pick(r.chance(0.5) ? GIVEN_F : GIVEN_M);
        String institution = String.format(Locale.ROOT, r.pick(HOSPITALS), r.pick(TOWNS));
        String time = String.format(Locale.ROOT, "%02d%02d%02d", r.between(0, 23), r.nextInt(60), r.nextInt(60));
        return new PatientPhi(family + "^" + given, family, unique(r, "MRN", 8), DA.format(birth), female ? "F" : "M",
                String.format(Locale.ROOT, "%03dY", age), address, unique(r, "ACC", 9), refFamily + "^" + refGiven + "^^Dr",
                refFamily, institution, DA.format(study), time);
    }

    private String unique(SeededRandom r, String prefix, int digits) {
        long bound = (long) Math.pow(10, digits);
        while (true) {
            long n = Math.floorMod(r.nextLong(), bound - bound / 10) + bound / 10;
            String id = prefix + n;
            if (usedIds.add(id)) return id;
        }
    }
}
