"""The first-run screen: an empty store, with a button that builds the synthetic sample."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from analysis.i18n.ui import text
from data.store import Store
from views.common import StreamlitProgress

SAMPLE_SIZES = (2_000, 5_000, 20_000)


def _build_sample(store: Store, n_articles: int, lang: str) -> None:
    """Generate the sample, ingest it and build its topics, with progress."""
    from analysis.topics.build import build_store
    from data.pipeline import ingest_paths
    from data.sample import write_sample

    bar = st.progress(0.0, text=text("sample_generating", lang))
    with tempfile.TemporaryDirectory() as tmp:
        files = write_sample(Path(tmp), n_articles=n_articles)
        done = 0

        def ingested(n: int) -> None:
            nonlocal done
            done += n
            bar.progress(min(1.0, done / n_articles), text=text("sample_ingesting", lang))

        ingest_paths(files, store, progress=ingested)
    build_store(store, progress=StreamlitProgress(bar))
    bar.progress(1.0, text=text("sample_done", lang))


def offer_sample(store: Store, lang: str) -> None:
    """Explain that the store is empty and offer to build the synthetic sample into it."""
    st.title("Sorotan")
    st.subheader(text("empty_store_title", lang))
    st.markdown(text("empty_store_body", lang, path=str(store.path)))
    size = st.select_slider(
        text("sample_size", lang),
        SAMPLE_SIZES,
        value=SAMPLE_SIZES[0],
        format_func=lambda n: f"{n:,}",
        help=text("sample_size_help", lang),
    )
    if st.button(text("sample_button", lang), type="primary", icon=":material/science:"):
        _build_sample(store, size, lang)
        st.rerun()
