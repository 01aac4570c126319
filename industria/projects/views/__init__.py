"""Views of the projects app: registry (CRUD, templates, rules), workflows (forms → services), pages."""
