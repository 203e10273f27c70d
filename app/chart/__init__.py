"""Pure-Python organisation charts for the explorer: ``draw.diagram_svg`` and its parts (rows,
boxes, marks, edges, header, legend, highlight), over text metrics, layered layout, SVG writing."""
