"""Beleidsmonitor: the multi-year plan of a Flemish city, by SDG and pillar, as a Dash app."""
