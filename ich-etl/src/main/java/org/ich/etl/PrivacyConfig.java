package org.ich.etl;

import org.ich.config.CommonConfig;
import org.ich.config.ConfigError;
import org.ich.config.Settings;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The PHI boundary's settings (section {@code ich.privacy}): the secret behind every pseudonym, and where the
 * crosswalk of original identifiers lives. Fails closed: without the key in the environment a job that writes
 * pseudonyms stops before it writes anything, unless the public development key is asked for explicitly.
 */
public record PrivacyConfig(byte[] pseudonymKey, boolean devKey, Crosswalk crosswalk) {
    /** Public on purpose: synthetic data only, and only with ich.privacy.allow-dev-key = true. */
    static final String DEV_PSEUDONYM_KEY = "ich-development-key-not-for-patient-data";

    /**
     * Where the originals live: a catalog of its own over a warehouse of its own, so storage and catalog permissions
     * can fence it off from the analyst tables. Reading it needs no pseudonym key.
     */
    public record Crosswalk(URI warehouse, String catalog, String namespace) {
        public static final String TABLE = "crosswalk";

        public static Crosswalk from(Settings s) {
            CommonConfig common = CommonConfig.from(s);
            String given = s.optionalString("ich.privacy.crosswalk.warehouse");
            URI warehouse = given == null
                    ? URI.create(common.warehouse().toString().replaceAll("/+$", "") + "-crosswalk")
                    : Settings.storageUri("ich.privacy.crosswalk.warehouse", given);
            if (warehouse.normalize().toString().replaceAll("/+$", "")
                    .equals(common.warehouse().normalize().toString().replaceAll("/+$", ""))) {
                throw new ConfigError("ich.privacy.crosswalk.warehouse", "must not be ich.warehouse (" + common.warehouse()
                        + "): the crosswalk needs a location of its own that analysts cannot read");
            }
            String catalog = identifier(s, "ich.privacy.crosswalk.catalog");
            if (catalog.equals(common.catalog())) {
                throw new ConfigError("ich.privacy.crosswalk.catalog", "must differ from ich.catalog (" + catalog + ")");
            }
            return new Crosswalk(warehouse, catalog, identifier(s, "ich.privacy.crosswalk.namespace"));
        }

        /** Fully qualified name of the crosswalk table. */
        public String table() {
            return catalog + "." + namespace + "." + TABLE;
        }

        private static String identifier(Settings s, String key) {
            String v = s.string(key);
            if (!v.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new ConfigError(key, "must be an identifier, got " + v);
            return v;
        }
    }

    public static PrivacyConfig from(Settings s) {
        Crosswalk crosswalk = Crosswalk.from(s);
        String var = s.string("ich.privacy.pseudonym-key-env");
        String key = s.secretFromEnv("ich.privacy.pseudonym-key-env");
        boolean dev = false;
        if (key == null) {
            if (!s.bool("ich.privacy.allow-dev-key")) {
                throw new ConfigError("ich.privacy.pseudonym-key-env", "environment variable " + var + " is not set, and"
                        + " this command writes pseudonyms: export " + var + "=<a secret of at least 16 bytes, e.g. from"
                        + " `openssl rand -hex 32`, kept in your secret store>; for synthetic data only,"
                        + " ich.privacy.allow-dev-key=true uses the public development key");
            }
            key = DEV_PSEUDONYM_KEY;
            dev = true;
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 16) {
            throw new ConfigError("ich.privacy.pseudonym-key-env", "the key in " + var + " must be at least 16 bytes long");
        }
        return new PrivacyConfig(bytes, dev, crosswalk);
    }

    public Pseudonyms pseudonyms() {
        return new Pseudonyms(pseudonymKey);
    }

    /** The fingerprint recorded on the tables this key wrote; never the key. */
    public String keyId() {
        return pseudonyms().keyId();
    }

    @Override
    public String toString() {
        return "PrivacyConfig[key=" + (devKey ? "public development key" : "from environment, id " + keyId())
                + ", crosswalk=" + crosswalk + "]";
    }
}
