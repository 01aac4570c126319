"""UI of the plan app: dashboard (overview, indicator page, map, public pages), registry CRUD, data freshness."""
