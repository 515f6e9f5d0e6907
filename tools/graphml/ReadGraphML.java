// Reads a GraphML file with JGraphT's importer, schema validation on (as JGraphT does by
// default), and prints what it read as one JSON object: the tests' Java GraphML reader
// (tools/graphml_reader.py builds and runs it). A file the schema refuses exits 1 with the
// parser's message.
import java.io.FileReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedPseudograph;
import org.jgrapht.nio.graphml.GraphMLImporter;

public class ReadGraphML {
    public static void main(String[] args) throws Exception {
        Graph<String, DefaultEdge> g = new DirectedPseudograph<>(DefaultEdge.class);
        Map<String, Map<String, String>> nodes = new LinkedHashMap<>();
        Map<DefaultEdge, Map<String, String>> edges = new LinkedHashMap<>();
        GraphMLImporter<String, DefaultEdge> importer = new GraphMLImporter<>();
        importer.setSchemaValidation(true);
        importer.setVertexFactory(id -> id);
        importer.addVertexAttributeConsumer((p, a) -> nodes
                .computeIfAbsent(p.getFirst(), k -> new LinkedHashMap<>())
                .put(p.getSecond(), a.getType() + ":" + a.getValue()));
        importer.addEdgeAttributeConsumer((p, a) -> edges
                .computeIfAbsent(p.getFirst(), k -> new LinkedHashMap<>())
                .put(p.getSecond(), a.getType() + ":" + a.getValue()));
        try (FileReader in = new FileReader(args[0], java.nio.charset.StandardCharsets.UTF_8)) {
            importer.importGraph(g, in);
        } catch (Exception e) {
            Throwable t = e;
            while (t.getCause() != null) t = t.getCause();
            System.err.println(t.getMessage());
            System.exit(1);
        }
        StringBuilder out = new StringBuilder("{\"nodes\":{");
        String sep = "";
        for (String v : g.vertexSet()) {
            out.append(sep).append(str(v)).append(':').append(obj(nodes.get(v)));
            sep = ",";
        }
        out.append("},\"edges\":[");
        sep = "";
        for (DefaultEdge e : g.edgeSet()) {
            out.append(sep).append("{\"source\":").append(str(g.getEdgeSource(e)))
                    .append(",\"target\":").append(str(g.getEdgeTarget(e)))
                    .append(",\"data\":").append(obj(edges.get(e))).append('}');
            sep = ",";
        }
        System.out.println(out.append("]}"));
    }

    static String obj(Map<String, String> m) {
        StringBuilder b = new StringBuilder("{");
        String sep = "";
        for (Map.Entry<String, String> kv : (m == null ? Map.<String, String>of() : m).entrySet()) {
            b.append(sep).append(str(kv.getKey())).append(':').append(str(kv.getValue()));
            sep = ",";
        }
        return b.append('}').toString();
    }

    static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
