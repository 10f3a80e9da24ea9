"""Coverage statistics: what the news covers, where, by whom and how that changes over time.

Owns the coverage cube (`cube`: article counts by day, topic, place, outlet and language) and what
is read from it: share of coverage over time (`share`), a period against the one before
(`summary`) and emerging topics (`emerging`), both compared like for like over the outlets
collected throughout (`collection`), story angles of a region or an outlet (`angles`); the
keyword search over article texts (`query`, `keywords`, `terms`), ranked search on the store's
full-text index with snippets (`search`, `snippets`), distinctive words (`words`) and
the statistical tests behind them (`significance`).

May import analysis.i18n and data, nothing else of analysis: topics are only ids and labels here.
"""
