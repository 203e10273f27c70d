"""The export formats of ``app.questions.export``, one module each, over one flat view of a snapshot.

- ``records``: the organs and edges of a snapshot as the JSON export writes them, their years
  (``life_range`` / ``edge_range``) and typed flat columns for the XML formats.
- ``node_link``: the JSON export, a node-link document that ``networkx.node_link_graph`` loads.
- ``graphml``: GraphML 1.0 (valid against the GraphML XSD; networkx, igraph, rustworkx, JGraphT).
- ``gexf``: GEXF 1.3 (valid against the GEXF 1.3 XSD; Gephi, with spells for its timeline).
- ``cypher``: the Cypher that builds the very graph ``alliances load`` builds.
"""
