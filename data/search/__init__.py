"""The full-text index of a store's articles: SQLite FTS5 over Indonesian stems, beside the store.

Owns the stems of words (`stems`: PySastrawi, cached per distinct word, kept in the index so
that each word is stemmed once), each article's tokens (stems, pairs of adjacent stems, title
marks, the month label) made from a store part a batch at a time, on the workers of a Dask
cluster when there is one (`batches`), and the index itself (`index`): where it lives, how it
follows the store (built at ingest, extended with each new part, rebuilt when it is missing,
damaged or no longer matches the articles), its filter labels and the BM25 ranking of an FTS5
expression's matches. The query language and snippets are analysis.trends.search's.
"""
