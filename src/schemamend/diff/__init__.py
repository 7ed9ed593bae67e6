"""Changes between two SQL schemas: typed changes, the differ, summaries."""
