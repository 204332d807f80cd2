#!/usr/bin/env bash
# submit/spark-submit.sh JOB [--conf FILE] [key=value ...]
# Submits an ich job (etl, train, sql, ...) in ich-jobs.jar to a Spark cluster with the settings ich needs there:
# Java 17 flags and ND4J's off-heap limits on driver and executors, Kryo with ND4J's registrator, OpenMP threads
# per executor core, and the HOCON site config shipped with --files. Secrets travel only through the environment.
#
# Environment (defaults in brackets):
#   SPARK_HOME (required)  a Spark 3.5 installation; one holding only jars/ works too (no bin/ needed)
#   ICH_JOBS_JAR [ich-score/target/ich-jobs.jar]   MASTER [yarn]   DEPLOY_MODE [client]
#   DRIVER_MEMORY [4g]   EXECUTOR_MEMORY [8g]   EXECUTOR_CORES [4]   NUM_EXECUTORS [unset: the cluster decides]
#   EXECUTOR_MEMORY_OVERHEAD [4g]: off-heap room for ND4J; javacpp may allocate up to it (ND4J_MAXBYTES) and the
#     whole process up to heap + overhead (ND4J_MAXPHYSICALBYTES), so a runaway executor fails in Java, not by OOM kill
#   ICH_SUBMIT_ARGS  extra spark-submit options, split on spaces
#   ICH_DRY_RUN=1    print the command (secrets redacted) instead of running it
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, ICH_PSEUDONYM_KEY: passed on when set, never printed
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/submit/omp.env"

usage() { sed -n '2,3p' "$0" | sed 's/^# //' >&2; exit 2; }
[ $# -ge 1 ] || usage
job=$1; shift
: "${SPARK_HOME:?set SPARK_HOME to a Spark 3.5 installation (a directory with jars/)}"
[ -d "$SPARK_HOME/jars" ] || { echo "spark-submit.sh: $SPARK_HOME/jars not found; is SPARK_HOME a Spark installation?" >&2; exit 2; }
jar=${ICH_JOBS_JAR:-$root/ich-score/target/ich-jobs.jar}
# Jars already inside the cluster's images (local://) or on shared storage (hdfs://, s3a://) are not checked here.
[[ $jar == *://* ]] || [ -f "$jar" ] || { echo "spark-submit.sh: $jar not found; build it with: mvn -DskipTests package" >&2; exit 2; }

master=${MASTER:-yarn}
deploy_mode=${DEPLOY_MODE:-client}
driver_memory=${DRIVER_MEMORY:-4g}
executor_memory=${EXECUTOR_MEMORY:-8g}
executor_cores=${EXECUTOR_CORES:-4}
overhead=${EXECUTOR_MEMORY_OVERHEAD:-4g}

# Sizes like 8g, 512m or 1024 (MiB, as Spark reads them) in MiB.
mib() {
  local v=${1,,}
  case $v in
    *t) echo $(( ${v%t} * 1024 * 1024 )) ;; *g) echo $(( ${v%g} * 1024 )) ;;
    *m) echo "${v%m}" ;; *k) echo $(( ${v%k} / 1024 )) ;; *) echo "$v" ;;
  esac
}
maxbytes=${ND4J_MAXBYTES:-$(mib "$overhead")m}
maxphysical=${ND4J_MAXPHYSICALBYTES:-$(( $(mib "$executor_memory") + $(mib "$overhead") ))m}
driver_maxphysical=$(( $(mib "$driver_memory") + $(mib "$overhead") ))m

jvm_flags=$(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$root/submit/jvm.options" | tr '\n' ' ')
executor_java="${jvm_flags}-Dorg.bytedeco.javacpp.maxbytes=$maxbytes -Dorg.bytedeco.javacpp.maxphysicalbytes=$maxphysical"
driver_java="${jvm_flags}-Dorg.bytedeco.javacpp.maxbytes=$maxbytes -Dorg.bytedeco.javacpp.maxphysicalbytes=$driver_maxphysical"

# The site config: shipped to the cluster with --files; a driver in the cluster finds it by name in its working
# directory, a client-mode driver reads it where it is.
job_args=()
while [ $# -gt 0 ]; do
  if [ "$1" = --conf ] && [ $# -ge 2 ]; then
    conf_file=$2; shift 2
    [ -f "$conf_file" ] || { echo "spark-submit.sh: --conf $conf_file: no such file" >&2; exit 2; }
    if [ "$deploy_mode" = cluster ]; then job_args+=(--conf "$(basename "$conf_file")"); else job_args+=(--conf "$conf_file"); fi
  else
    job_args+=("$1"); shift
  fi
done

opts=(--master "$master" --deploy-mode "$deploy_mode" --name "ich $job" --class org.ich.cli.Main
  --driver-memory "$driver_memory" --executor-memory "$executor_memory" --executor-cores "$executor_cores"
  --conf spark.executor.memoryOverhead="$overhead"
  --conf spark.driver.extraJavaOptions="$driver_java"
  --conf spark.executor.extraJavaOptions="$executor_java"
  --conf spark.serializer=org.apache.spark.serializer.KryoSerializer
  --conf spark.kryo.registrator=org.nd4j.kryo.Nd4jRegistrator
  # ND4J's OpenMP pool sized to the executor's cores, waiting passively (spinning stalls shared cores ~10x).
  --conf spark.executorEnv.OMP_NUM_THREADS="$executor_cores"
  --conf spark.executorEnv.OMP_WAIT_POLICY="$OMP_WAIT_POLICY"
  # glibc keeps oneDNN's large scratchpads instead of unmapping them (~2.5x faster training; submit/omp.env).
  --conf spark.executorEnv.GLIBC_TUNABLES="$GLIBC_TUNABLES"
  # Spark masks matching keys in its UI, logs and event logs; the default misses the pseudonym key.
  --conf 'spark.redaction.regex=(?i)secret|password|token|access[.]key|pseudonym')
[ -n "${NUM_EXECUTORS:-}" ] && opts+=(--num-executors "$NUM_EXECUTORS")
[ -n "${conf_file:-}" ] && opts+=(--files "$conf_file")
# shellcheck disable=SC2206 # word splitting is the documented contract of ICH_SUBMIT_ARGS
[ -n "${ICH_SUBMIT_ARGS:-}" ] && opts+=(${ICH_SUBMIT_ARGS})

# Secrets go into a private properties file rather than argv, where `ps` and shell history would show them.
# Executors (and a driver started in the cluster) get them as environment variables; a client-mode driver
# inherits this shell's environment.
secrets=(AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN ICH_PSEUDONYM_KEY)
props=$(mktemp "${TMPDIR:-/tmp}/ich-submit.XXXXXX")
chmod 600 "$props"
trap 'rm -f "$props"' EXIT
[ -f "$SPARK_HOME/conf/spark-defaults.conf" ] && cat "$SPARK_HOME/conf/spark-defaults.conf" >> "$props"
for name in "${secrets[@]}"; do
  [ -n "${!name:-}" ] || continue
  # printf with %s keeps the value out of any shell expansion; the file is the only place it is written.
  printf 'spark.executorEnv.%s %s\n' "$name" "${!name}" >> "$props"
  if [ "$deploy_mode" = cluster ]; then
    printf 'spark.yarn.appMasterEnv.%s %s\n' "$name" "${!name}" >> "$props"
    printf 'spark.kubernetes.driverEnv.%s %s\n' "$name" "${!name}" >> "$props"
  fi
done
opts+=(--properties-file "$props")

if [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  cmd=("$SPARK_HOME/bin/spark-submit")
else
  # No bin/: this JVM is spark-submit, and in client mode also the driver, so it takes the driver's flags itself.
  cmd=("${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx"$driver_memory" $driver_java -cp "$SPARK_HOME/jars/*"
    org.apache.spark.deploy.SparkSubmit)
fi
cmd+=("${opts[@]}" "$jar" "$job" "${job_args[@]}")

if [ "${ICH_DRY_RUN:-0}" = 1 ]; then
  printf '%q ' "${cmd[@]}"; echo
  echo "# $props (deleted on exit):"
  sed -E 's/^([^[:space:]=]*(env\.|secret|password|token|[.]key)[^[:space:]=]*)[[:space:]=].*/\1 *****/I' "$props"
  exit 0
fi
"${cmd[@]}"
