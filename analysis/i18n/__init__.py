"""Every word the product writes, in Bahasa Indonesia and English.

Owns the string tables (ui.toml for the dashboard, charts.toml for the words inside charts,
briefing.toml for the briefing, trends.toml for the sentences of emerging topics and story
angles), `ui` (the dashboard's words and dates), `phrasing` (numbers, plurals and topic labels
written out in sentences) and `strings` (reading a table, filling in a text).

Imports nothing from the rest of analysis, so every other package may import it.
"""
