"""The well-known spaces created by migration 0003."""

FACHGRUPPE_SLUG = "fachgruppe-handwerk"
INNER_SLUG = "fachkraeftezentren-handwerk"
