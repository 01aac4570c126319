"""forms of the evaluations app."""
