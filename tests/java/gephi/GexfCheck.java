// Imports a GEXF file with the Gephi toolkit, as Gephi's own "Open" does, and prints what Gephi
// made of it as one JSON object: importer issues, whether the graph is dynamic, its time bounds,
// every node and edge (id, edge type label, spell), and, for each year given after the file, the
// node and edge ids left by Gephi's dynamic range filter set to that year.
//
// Usage: java -Djava.awt.headless=true -cp gephi-toolkit-all.jar:. GexfCheck FILE [YEAR...]
// Built and run by tests/test_export_clients.py.

import java.io.File;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.gephi.filters.api.FilterController;
import org.gephi.filters.api.Query;
import org.gephi.filters.api.Range;
import org.gephi.filters.plugin.dynamic.DynamicRangeBuilder.DynamicRangeFilter;
import org.gephi.graph.api.Edge;
import org.gephi.graph.api.Graph;
import org.gephi.graph.api.GraphController;
import org.gephi.graph.api.GraphModel;
import org.gephi.graph.api.GraphView;
import org.gephi.graph.api.Interval;
import org.gephi.graph.api.Node;
import org.gephi.io.importer.api.Container;
import org.gephi.io.importer.api.ImportController;
import org.gephi.io.importer.api.Issue;
import org.gephi.io.processor.plugin.DefaultProcessor;
import org.gephi.project.api.ProjectController;
import org.gephi.project.api.Workspace;
import org.openide.util.Lookup;

public class GexfCheck {

    public static void main(String[] args) throws Exception {
        ProjectController projects = Lookup.getDefault().lookup(ProjectController.class);
        projects.newProject();
        Workspace workspace = projects.getCurrentWorkspace();

        ImportController importer = Lookup.getDefault().lookup(ImportController.class);
        Container container = importer.importFile(new File(args[0]));
        if (container == null) {
            throw new IllegalStateException("Gephi could not import " + args[0]);
        }
        List<String> issues = new ArrayList<>();
        for (Iterator<Issue> it = container.getReport().getIssues(Integer.MAX_VALUE); it.hasNext(); ) {
            Issue issue = it.next();
            issues.add(issue.getLevel() + ": " + issue.getMessage());
        }
        importer.process(container, new DefaultProcessor(), workspace);

        GraphModel model = Lookup.getDefault().lookup(GraphController.class).getGraphModel(workspace);
        Graph graph = model.getGraph();
        StringBuilder out = new StringBuilder("{");
        out.append("\"issues\": ").append(strings(issues));
        out.append(", \"dynamic\": ").append(model.isDynamic());
        Interval bounds = model.getTimeBounds();
        out.append(", \"bounds\": [").append(number(bounds.getLow())).append(", ").append(number(bounds.getHigh())).append("]");
        out.append(", \"nodes\": [");
        boolean first = true;
        for (Node node : graph.getNodes()) {
            out.append(first ? "" : ", ").append("{\"id\": ").append(quote(node.getId().toString()));
            out.append(", \"spells\": ").append(intervals(node.getIntervals())).append("}");
            first = false;
        }
        out.append("], \"edges\": [");
        first = true;
        for (Edge edge : graph.getEdges()) {
            out.append(first ? "" : ", ").append("{\"id\": ").append(quote(edge.getId().toString()));
            out.append(", \"source\": ").append(quote(edge.getSource().getId().toString()));
            out.append(", \"target\": ").append(quote(edge.getTarget().getId().toString()));
            out.append(", \"kind\": ").append(quote(String.valueOf(model.getEdgeTypeLabel(edge.getType()))));
            out.append(", \"spells\": ").append(intervals(edge.getIntervals())).append("}");
            first = false;
        }
        out.append("], \"years\": {");
        FilterController filters = Lookup.getDefault().lookup(FilterController.class);
        for (int i = 1; i < args.length; i++) {
            double year = Double.parseDouble(args[i]);
            DynamicRangeFilter filter = new DynamicRangeFilter(model);
            filter.setRange(new Range(year, year));
            Query query = filters.createQuery(filter);
            GraphView view = filters.filter(query);
            Graph visible = model.getGraph(view);
            List<String> nodeIds = new ArrayList<>();
            for (Node node : visible.getNodes()) {
                nodeIds.add(node.getId().toString());
            }
            List<String> edgeIds = new ArrayList<>();
            for (Edge edge : visible.getEdges()) {
                edgeIds.add(edge.getId().toString());
            }
            out.append(i > 1 ? ", " : "").append(quote(args[i])).append(": {\"nodes\": ").append(strings(nodeIds));
            out.append(", \"edges\": ").append(strings(edgeIds)).append("}");
        }
        out.append("}}");
        System.out.println(out);
        System.exit(0);  // the toolkit leaves non-daemon threads running
    }

    private static String intervals(Interval[] spells) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < spells.length; i++) {
            out.append(i > 0 ? ", " : "").append("[").append(number(spells[i].getLow())).append(", ")
                .append(number(spells[i].getHigh())).append("]");
        }
        return out.append("]").toString();
    }

    private static String number(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "\"inf\"" : "\"-inf\"";
        }
        return Double.toString(value);
    }

    private static String strings(List<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            out.append(i > 0 ? ", " : "").append(quote(values.get(i)));
        }
        return out.append("]").toString();
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
