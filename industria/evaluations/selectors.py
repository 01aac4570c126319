"""selectors of the evaluations app."""
