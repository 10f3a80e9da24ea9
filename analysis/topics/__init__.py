"""The topic engine: what each article is about, found again and kept stable at every build.

Owns the embeddings of articles (`embeddings`), the clusters they form (`clustering`), what topics
are called (`naming`: keywords, labels, the BERTopic model; `phrases`: names from the topics' own
titles), stable ids and the user's edits (`ids`), the tables of a build (`tables`), a build
(`build`) and its update with new articles (`update`), and the build folder in the store
(`build_folder`, with the coverage cube stored beside it). `settings` holds how topics are found.

May import analysis.trends (the coverage cube a build stores), analysis.i18n and data.
"""
