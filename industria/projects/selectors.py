"""selectors of the projects app."""
