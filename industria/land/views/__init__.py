"""Land pages: registry (parks, strategic areas, parcels), density, inefficient land and actions, site search."""
