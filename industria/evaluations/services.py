"""services of the evaluations app."""
