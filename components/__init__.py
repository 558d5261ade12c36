"""Reusable layout pieces (cards, tables, navigation); they receive data and never query the store."""
