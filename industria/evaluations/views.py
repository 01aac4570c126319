"""views of the evaluations app."""
