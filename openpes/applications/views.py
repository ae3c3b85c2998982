"""Views: access helper → form → action → render or redirect."""
