"""The alliance explorer: seeds, graph store, REST API and command line for the Finnegan (2009) alliances."""
