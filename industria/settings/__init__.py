"""Settings modules: base (shared), dev (default), test, prod.  Everything is configured from the environment."""
