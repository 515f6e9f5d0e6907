"""argmap graph: the store interface, its two backends, writes, queries, analysis and exports."""
