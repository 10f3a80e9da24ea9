"""The analysis layer: the topic engine, coverage statistics, the dashboard's numbers, the briefing.

Its packages, each of which imports only the packages listed before it (and data):

    i18n       every word the product writes, in Bahasa Indonesia and English
    trends     the coverage cube and the statistics read from it
    topics     topics found in the articles, kept stable across builds
    dashboard  what the dashboard's pages show
    briefing   the periodic briefing as a deck, a page or a PDF

`cli` (`python -m analysis`) may import any of them. Nothing here imports the app or views.
"""
