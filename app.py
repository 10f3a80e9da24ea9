"""Sorotan: the themes regional news covers, where, and how they change over time."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.charts import volume_figure
from analysis.volume import article_volume
from data.store import Store

st.set_page_config(page_title="Sorotan", page_icon="🔦", layout="wide")


@st.cache_data(show_spinner="Memuat artikel…")
def load_articles(path: str, version: str) -> pd.DataFrame:
    """Kept articles of the store (version busts the cache when the store changes)."""
    return Store(path).articles(
        ["article_id", "published_at", "source", "title", "province", "regency", "url", "language"]
    )


store = Store()
if not store.exists():
    st.title("Sorotan")
    st.info(
        f"Belum ada data di `{store.path}`. Jalankan `python -m data sample` untuk korpus contoh, "
        "atau `python -m data ingest BERKAS` untuk data Anda sendiri."
    )
    st.stop()

articles = load_articles(str(store.path), str(len(store.ingests())))
st.title("Sorotan")
st.caption(f"{len(articles):,} artikel dari {articles['source'].nunique()} media · `{store.path}`")
st.plotly_chart(volume_figure(article_volume(articles["published_at"])), use_container_width=True)

query = st.text_input("Cari judul", placeholder="banjir, pilkada, harga beras…")
shown = (
    articles[articles["title"].str.contains(query, case=False, regex=False)] if query else articles
)
st.dataframe(
    shown.sort_values("published_at", ascending=False).head(500),
    column_config={"url": st.column_config.LinkColumn("tautan")},
    hide_index=True,
    use_container_width=True,
)
