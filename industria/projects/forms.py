"""forms of the projects app."""
