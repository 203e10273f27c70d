"""Pure-Python chart drawing for the explorer: text metrics, layered layout, SVG writing."""
