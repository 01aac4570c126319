"""Import of parks, parcels and land uses (xlsx/csv in UTF-8 or GBK, GeoJSON FeatureCollections), on the
enterprises import pipeline: all or nothing, row/column problems, idempotent upsert, dry run, one audit entry."""
