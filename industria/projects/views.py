"""views of the projects app."""
