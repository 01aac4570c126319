"""Map reads: GeoJSON layers for a viewport, scoped to the user."""
