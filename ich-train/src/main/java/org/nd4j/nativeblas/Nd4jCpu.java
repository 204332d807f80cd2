package org.nd4j.nativeblas;

/**
 * The name DL4J 1.0.0-M2.1 looks up to ask whether libnd4j was built with oneDNN.
 *
 * <p>DL4J's {@code BaseMKLDNNHelper.mklDnnEnabled()} loads {@code org.nd4j.nativeblas.Nd4jCpu$Environment}
 * by reflection and calls {@code getInstance().isUseMKLDNN()}. ND4J M2/M2.1 moved that binding to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and renamed the query
 * {@code isUseONEDNN()}, so the lookup fails, DL4J caches the failure, and every conv, pooling and
 * batch-norm layer silently falls back to its much slower built-in implementation. This class
 * answers under the old name with the real binding's answer.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** Only the two members DL4J calls reflectively. */
    public static final class Environment {

        private static final String BINDING = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        /** DL4J invokes {@link #isUseMKLDNN()} on what this returns, so it must be this class, not the binding. */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /**
         * Looked up by name so that ich-train also compiles without nd4j-native (the -Pcuda build); there the
         * binding is absent, and DL4J's oneDNN helpers, which are CPU-only, correctly stay off.
         */
        public boolean isUseMKLDNN() {
            try {
                Class<?> binding = Class.forName(BINDING, true, Nd4jCpu.class.getClassLoader());
                Object environment = binding.getMethod("getInstance").invoke(null);
                return (Boolean) binding.getMethod("isUseONEDNN").invoke(environment);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
