package org.ich.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.config.CommonConfig;
import org.ich.spark.IchSpark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ich sql "QUERY"}: Spark SQL against ich's catalog; tables may be named unqualified. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Run a Spark SQL query against the configured catalog (slices, quarantine, predictions, ...).")
public final class SqlCommand implements IchCommand {
    public enum Format { table, csv, json }

    @Parameters(index = "0", paramLabel = "QUERY", description = "the SQL query")
    String query;

    @Mixin
    ConfOptions conf;

    @Option(names = "--format", description = "table, csv (with a header line) or json (one object per line); default ${DEFAULT-VALUE}")
    Format format = Format.table;

    @Option(names = "--max-rows", description = "most rows printed; default ${DEFAULT-VALUE}")
    int maxRows = 10_000;

    public static void main(String[] args) {
        System.exit(Main.executeOne(new SqlCommand(), args));
    }

    @Override
    public Integer call() {
        CommonConfig common = CommonConfig.from(conf.skipLeading(1).settings());
        try (SparkSession spark = IchSpark.session(common, "ich-sql")) {
            Dataset<Row> result;
            try {
                result = spark.sql(query);
            } catch (Exception e) {
                // Spark's parse errors begin with an empty line; the first line with text says what is wrong.
                String message = e.getMessage() == null ? "" : e.getMessage();
                throw new UserError("query failed: " + message.lines().map(String::strip).filter(l -> !l.isEmpty())
                        .findFirst().orElse(e.getClass().getSimpleName()), e);
            }
            print(result, format, maxRows, System.out);
        }
        return 0;
    }

    /** A query's result as {@code ich sql} prints it. */
    public static void print(Dataset<Row> result, Format format, int maxRows, PrintStream out) {
        String[] columns = result.columns();
        List<Row> rows = result.limit(maxRows).collectAsList();
        switch (format) {
            case json -> result.limit(maxRows).toJSON().collectAsList().forEach(out::println);
            case csv -> {
                out.println(String.join(",", Arrays.stream(columns).map(SqlCommand::csvField).toList()));
                for (Row r : rows) out.println(String.join(",", cells(r).stream().map(SqlCommand::csvField).toList()));
            }
            case table -> TextTable.print(columns, rows.stream().map(SqlCommand::cells).toList(), out);
        }
    }

    static List<String> cells(Row r) {
        List<String> out = new ArrayList<>(r.length());
        for (int i = 0; i < r.length(); i++) {
            Object v = r.get(i);
            out.add(v == null ? "" : v instanceof byte[] b ? "<" + b.length + " bytes>" : String.valueOf(v));
        }
        return out;
    }

    static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
