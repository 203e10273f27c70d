// Imports a GraphML file with JGraphT's GraphMLImporter, schema validation on (the importer
// refuses a file its bundled GraphML XSD rejects), into a directed multigraph, and prints what it
// read as one JSON object: vertex and edge counts, and every vertex's and edge's attributes with
// the type JGraphT gave them ({"name": ["LONG", "1978"], ...}).
//
// Usage: java -cp <jgrapht-io and its jars>:. GraphmlCheck FILE
// Built and run by tests/test_export_clients.py.

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.builder.GraphTypeBuilder;
import org.jgrapht.nio.Attribute;
import org.jgrapht.nio.graphml.GraphMLImporter;

public class GraphmlCheck {

    public static void main(String[] args) throws Exception {
        Graph<String, DefaultEdge> graph = GraphTypeBuilder.<String, DefaultEdge>directed()
            .allowingMultipleEdges(true)
            .allowingSelfLoops(true)
            .edgeClass(DefaultEdge.class)
            .buildGraph();
        Map<String, Map<String, Attribute>> vertices = new LinkedHashMap<>();
        Map<DefaultEdge, Map<String, Attribute>> edges = new LinkedHashMap<>();

        GraphMLImporter<String, DefaultEdge> importer = new GraphMLImporter<>();
        importer.setSchemaValidation(true);
        importer.setVertexFactory(id -> id);
        importer.addVertexAttributeConsumer(
            (key, value) -> vertices.computeIfAbsent(key.getFirst(), v -> new LinkedHashMap<>()).put(key.getSecond(), value));
        importer.addEdgeAttributeConsumer(
            (key, value) -> edges.computeIfAbsent(key.getFirst(), e -> new LinkedHashMap<>()).put(key.getSecond(), value));
        importer.importGraph(graph, new File(args[0]));

        StringBuilder out = new StringBuilder("{");
        out.append("\"vertices\": ").append(graph.vertexSet().size());
        out.append(", \"edges\": ").append(graph.edgeSet().size());
        out.append(", \"vertex_attributes\": {");
        boolean first = true;
        for (String v : graph.vertexSet()) {
            out.append(first ? "" : ", ").append(quote(v)).append(": ").append(attributes(vertices.get(v)));
            first = false;
        }
        out.append("}, \"edge_attributes\": [");
        first = true;
        for (DefaultEdge e : graph.edgeSet()) {
            Map<String, Attribute> attrs = new LinkedHashMap<>();
            attrs.putAll(edges.getOrDefault(e, Map.of()));
            out.append(first ? "" : ", ").append("{\"source\": ").append(quote(graph.getEdgeSource(e)));
            out.append(", \"target\": ").append(quote(graph.getEdgeTarget(e)));
            out.append(", \"attributes\": ").append(attributes(attrs)).append("}");
            first = false;
        }
        out.append("]}");
        System.out.println(out);
    }

    private static String attributes(Map<String, Attribute> attrs) {
        if (attrs == null) {
            return "{}";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Attribute> entry : attrs.entrySet()) {
            Attribute a = entry.getValue();
            parts.add(quote(entry.getKey()) + ": [" + quote(a.getType().name()) + ", " + quote(a.getValue()) + "]");
        }
        return "{" + String.join(", ", parts) + "}";
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
