"""The periodic media briefing: a period of news against the one before, for people who read
headlines, as a PowerPoint deck, an HTML page or a PDF.

Owns what a briefing says (`content`, with its sections in `sections` and its words in `text`),
how it is drawn (`figures`, `page` for HTML and PDF, `deck` for PowerPoint) and the file it is
written to (`report`).

May import analysis.dashboard (the house colours of its charts), analysis.topics, analysis.trends,
analysis.i18n and data.
"""
