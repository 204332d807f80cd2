package org.ich.train.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.config.DL4JClassLoading;
import org.deeplearning4j.config.DL4JSystemProperties;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Switches DL4J's oneDNN layer helpers on and reports whether they are in use.
 *
 * <p>DL4J M2.1 only attaches the oneDNN implementations of convolution, pooling and batch norm
 * when the system property {@value DL4JSystemProperties#DISABLE_HELPER_PROPERTY} is "false" at the
 * moment each layer is instantiated (the default is "true"), and when oneDNN is reported present
 * (see {@link org.nd4j.nativeblas.Nd4jCpu}). Without them a ResNet trains several times slower.
 * The property is read per layer, so {@link #enable()} must run before a graph is built or
 * restored, in every JVM that builds one (driver and executors alike).
 */
public final class NativeHelpers {

    /** What DL4J's BaseMKLDNNHelper loads by name. */
    private static final String SHIM = "org.nd4j.nativeblas.Nd4jCpu$Environment";

    private NativeHelpers() {
    }

    /**
     * How ND4J's OpenMP threads wait in a JVM ich starts (executors included): libgomp's default spin-wait burns the
     * cores Spark and the JVM need (DL4J trained ~10x slower on 2 shared cores). The launchers set the same in
     * submit/omp.env, the test JVMs in the parent pom.
     */
    public static final String OMP_WAIT_POLICY = "PASSIVE";

    /**
     * glibc's allocator in a JVM ich starts: one arena, never mmap, never trim. oneDNN as ND4J builds it allocates
     * each convolution-gradient call's scratchpad (up to ~120 MB) afresh; by default glibc maps such blocks and unmaps
     * them on free, so every training step page-faulted them in again (measured: 2/3 of ResNet-18's time at 64 px in
     * the kernel, 27 img/s; with these settings 69-76). Read by the C library at process start: it must be in the
     * environment of the JVM (submit/omp.env, the parent pom, spark.executorEnv), never set from inside it.
     */
    public static final String GLIBC_TUNABLES =
            "glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736";

    public static void enable() {
        System.setProperty(DL4JSystemProperties.DISABLE_HELPER_PROPERTY, "false");
        if (!shimVisibleToDl4j()) {
            // DL4J resolves class names through the context class loader current when ND4J was first
            // touched; under Spark that can be a loader that cannot see this jar, and DL4J remembers
            // the failed lookup for good. Point it at the loader that holds both DL4J and the shim.
            DL4JClassLoading.setDl4jClassloaderFromClass(NativeHelpers.class);
        }
    }

    public static boolean enabled() {
        return !Boolean.parseBoolean(System.getProperty(DL4JSystemProperties.DISABLE_HELPER_PROPERTY,
                DL4JSystemProperties.HELPER_DISABLE_DEFAULT_VALUE));
    }

    /**
     * Whether DL4J will attach its "MKLDNN" helpers, which hand each layer to libnd4j's native op.
     * True whenever the lookup works, even on a libnd4j built without oneDNN (the binding says so);
     * the ops then run libnd4j's generic kernels. {@link #libnd4jHasOneDnn()} tells which.
     */
    public static boolean oneDnnAvailable() {
        return BaseMKLDNNHelper.mklDnnEnabled();
    }

    /** Whether the loaded libnd4j was compiled with oneDNN, i.e. the onednn classifier jar won. */
    public static boolean libnd4jHasOneDnn() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
    }

    /** Names of the layers that oneDNN could serve but that have no helper attached. */
    public static List<String> layersWithoutHelper(ComputationGraph graph) {
        List<String> missing = new ArrayList<>();
        for (GraphVertex vertex : graph.getVertices()) {
            if (vertex.hasLayer() && helped(vertex.getLayer()) && vertex.getLayer().getHelper() == null) {
                missing.add(vertex.getVertexName());
            }
        }
        return missing;
    }

    /** Names of the layers that have a helper attached, with its class. */
    public static Map<String, String> helpers(ComputationGraph graph) {
        Map<String, String> attached = new LinkedHashMap<>();
        for (GraphVertex vertex : graph.getVertices()) {
            if (vertex.hasLayer()) {
                LayerHelper helper = vertex.getLayer().getHelper();
                if (helper != null) {
                    attached.put(vertex.getVertexName(), helper.getClass().getSimpleName());
                }
            }
        }
        return attached;
    }

    /**
     * One line for logs: the ND4J backend, which libnd4j build loaded and whether it has oneDNN, and
     * whether the convolution layers of a freshly built tiny ResNet got their oneDNN helper.
     */
    public static String report() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        ComputationGraph probe = ResNets.build(ModelSpec.of(Architecture.TINY.id(), 1, ModelSpec.MIN_SIZE, Head.ANY), 0);
        String convHelper = "none";
        for (GraphVertex vertex : probe.getVertices()) {
            if (vertex.hasLayer() && vertex.getLayer() instanceof ConvolutionLayer) {
                LayerHelper helper = vertex.getLayer().getHelper();
                convHelper = helper == null ? "none" : helper.getClass().getSimpleName();
                break;
            }
        }
        return "ND4J backend " + env.getProperty("backend")
                + ", native " + nativeFlavour()
                + ", libnd4j oneDNN " + (libnd4jHasOneDnn() ? "yes" : "no")
                + ", DL4J helpers available " + oneDnnAvailable()
                + ", helpers " + (enabled() ? "enabled" : "disabled")
                + ", conv helper " + convHelper
                // Left unset, libgomp spins and training slows ~10x whenever the cores are shared.
                + ", OMP_NUM_THREADS " + System.getenv("OMP_NUM_THREADS")
                + ", OMP_WAIT_POLICY " + System.getenv("OMP_WAIT_POLICY")
                + (GLIBC_TUNABLES.equals(System.getenv("GLIBC_TUNABLES")) ? ", malloc tuned"
                : ", malloc NOT tuned (GLIBC_TUNABLES unset: training ~2.5x slower; launch through submit/)");
    }

    private static boolean shimVisibleToDl4j() {
        try {
            Class.forName(SHIM, false, DL4JClassLoading.getDl4jClassloader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static boolean helped(Layer layer) {
        return layer instanceof ConvolutionLayer || layer instanceof SubsamplingLayer
                || layer instanceof BatchNormalization;
    }

    /** Which libnd4jcpu JavaCPP loaded, e.g. "linux-x86_64-onednn". */
    private static String nativeFlavour() {
        for (String path : Loader.getLoadedLibraries().values()) {
            int at = path.indexOf("/bindings/");
            if (path.contains("nd4jcpu") && at >= 0) {
                int end = path.indexOf('/', at + "/bindings/".length());
                return end > 0 ? path.substring(at + "/bindings/".length(), end) : path;
            }
        }
        return "unknown";
    }
}
