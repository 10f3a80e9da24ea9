"""Live monitoring: rounds that keep the store fresh, the watches users save, and their alerts.

One round (`rounds`) fetches the feeds, assigns topics to the new articles, rebuilds when a rebuild
is due (at most once a day, at a quiet hour), then checks every saved watch (`watches`: a keyword
query, a topic, a region or everywhere) against the new articles and the emerging topics, and
turns what fired into alerts (`alerts`), delivered to a JSON Lines file, a webhook or e-mail
(`deliver`), held during quiet hours (`clock`). `freshness` says how fresh the store is.

Everything a round must remember lives in the store's meta, written atomically: the watches
(`watches.json`), the watcher's state (`watch_state.json`: rises already alerted, the outbox of
alerts not yet delivered, how far each query watch has read) and the round log
(`watch_rounds.json`). A round killed at any point leaves the last state, and the next round
completes the work.

May import analysis.briefing, analysis.dashboard, analysis.topics, analysis.trends, analysis.i18n
and data.
"""
