"""Sorotan: the themes regional news covers, where, and how they change over time.

Run with `streamlit run app.py`; the store is $SOROTAN_STORE or ./store.
"""

from __future__ import annotations

import streamlit as st
from pyarrow import ArrowException

from analysis.dashboard.corpus import edits_key, store_version
from analysis.i18n.ui import text
from analysis.topics.build_folder import topic_edits
from analysis.trends.cube import wib_moment
from data.store import Store, StoreError
from views import controls, loading, setup, watch_panel
from views.common import Context, set_context, streamlit_words

# -- page config -----------------------------------------------------------------------------------
# an emoji: Streamlit draws it as the tab's icon in the page; a :material/...: icon is fetched from
# fonts.gstatic.com, which an offline dashboard must never ask
st.set_page_config(page_title="Sorotan", page_icon="🔦", layout="wide")
controls.begin_url()
lang = controls.ui_language()
store = Store()

# -- guard: a readable store with articles ---------------------------------------------------------
try:
    if not store.exists() or not store.manifest()["parts"]["articles"]:
        setup.offer_sample(store, lang)
        controls.write_url()
        st.stop()

    # -- load (cached per store version; edits are applied in milliseconds) -----------------------
    version = store_version(store)
    with st.spinner(text("loading", lang)):
        corpus = loading.corpus(str(store.path), version)
        edits = topic_edits(store)
        view = loading.view(str(store.path), version, edits_key(edits))
except (StoreError, OSError, ArrowException) as exc:  # damaged: say what to run, no traceback
    st.error(text("store_unreadable", lang, reason=str(exc)), icon=":material/error:")
    st.stop()

# -- global controls -------------------------------------------------------------------------------
filters, image_format = controls.sidebar(corpus)
presenting = controls.presenting()
synthetic = loading.synthetic(str(store.path), version)
controls.store_badge(str(store.path), len(corpus.articles), corpus.info.get("version"), synthetic)
with st.sidebar:
    watch_panel.freshness_line(store)
set_context(
    Context(
        store,
        corpus,
        view,
        filters,
        lang,
        image_format,
        synthetic,
        wib_moment(None),
        edits_key(edits),
    )
)

# -- pages -----------------------------------------------------------------------------------------
PAGES = [
    ("views/overview.py", "page_overview", ":material/dashboard:"),
    ("views/topics.py", "page_topics", ":material/topic:"),
    ("views/trends.py", "page_trends", ":material/show_chart:"),
    ("views/regions.py", "page_regions", ":material/map:"),
    ("views/articles.py", "page_articles", ":material/article:"),
    ("views/data_admin.py", "page_data", ":material/database:"),
    ("views/presenter.py", "page_presenter", ":material/slideshow:"),
]
st.html(streamlit_words(lang))
pages = [st.Page(path, title=text(key, lang), icon=icon) for path, key, icon in PAGES]
page = st.navigation(pages, position="hidden" if presenting else "sidebar")
if presenting and page.url_path != pages[-1].url_path:
    st.switch_page(pages[-1])
page.run()
controls.write_url()
