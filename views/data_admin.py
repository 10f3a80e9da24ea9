"""Data: upload and ingest files, rebuild or update topics, data quality, feed health and fetching."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.dashboard import charts, panels
from analysis.i18n import ui
from data.store import Store, StoreError
from views import loading
from views.common import (
    Context,
    StreamlitProgress,
    chart,
    context,
    empty_state,
    t,
)

UPLOAD_TYPES = ["csv", "tsv", "txt", "json", "jsonl", "ndjson", "parquet", "xlsx", "html", "htm"]
MAX_FILE_MB = 200  # per file; .streamlit/config.toml caps the server's uploads at the same size
NOTICE = "_data_notice"
UPLOAD_REPORT = "_ingest_report"
FETCH_REPORT = "_fetch_report"
UNSAFE_NAME = re.compile(r"[^\w.\-]+")
ADMIN_ENV = "SOROTAN_ADMIN"  # "1": this dashboard's users may change fetch settings


def _notice() -> None:
    """The message left by the last action before its rerun."""
    message = st.session_state.pop(NOTICE, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def safe_name(name: str) -> str:
    """An uploaded file's name reduced to a plain file name (no folders, no odd characters)."""
    cleaned = UNSAFE_NAME.sub("_", Path(name).name).strip("._")
    return cleaned or "upload"


def oversized(files: Sequence, max_mb: int = MAX_FILE_MB) -> list[str]:
    """Names of the uploaded files (objects with .name and .size in bytes) over max_mb."""
    return [f.name for f in files if f.size > max_mb * 1024 * 1024]


def ingest_uploads(
    store: Store,
    uploads: Sequence[tuple[str, bytes]],
    *,
    source: str = "",
    region: str = "",
    mapping: str = "",
    progress: Callable[[int], None] | None = None,
) -> dict:
    """Ingest uploaded (name, content) pairs, saved under plain names in a temporary folder.

    The ingest report as a dict; a ReaderError, StoreError or ValueError for a bad mapping, place
    or store. Files are only parsed by the readers, never run.
    """
    from data.pipeline import ingest_paths
    from data.readers import parse_mapping

    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, (name, content) in enumerate(uploads):
            path = Path(folder) / f"{number:03d}-{safe_name(name)}"
            path.write_bytes(content)
            paths.append(path)
        report = ingest_paths(
            paths,
            store,
            mapping=parse_mapping(mapping) if mapping.strip() else None,
            source=source.strip() or None,
            region=region.strip() or None,
            progress=progress,
        )
    return report.to_dict()


def _ingest(ctx: Context, files: list, source: str, region: str, mapping: str) -> dict | None:
    """Ingest the uploads with a progress bar; the report, None after showing a user error."""
    from data.readers import ReaderError

    too_big = oversized(files)
    if too_big:
        st.error(t("upload_too_big", names=", ".join(too_big), mb=MAX_FILE_MB))
        return None
    bar = st.progress(0.0, text=t("ingesting"))
    done = 0

    def advanced(n: int) -> None:
        nonlocal done
        done += n
        bar.progress(0.5, text=t("ingested_rows", n=ui.format_number(done, ctx.lang)))

    uploads = [(f.name, f.getvalue()) for f in files]
    try:
        report = ingest_uploads(
            ctx.store, uploads, source=source, region=region, mapping=mapping, progress=advanced
        )
    except (ReaderError, StoreError, ValueError) as exc:
        bar.empty()
        st.error(t("ingest_failed", reason=str(exc)))
        return None
    bar.progress(1.0, text=t("ingest_done"))
    return report


def reasons_table(reasons: dict[str, int]) -> None:
    """Rows quarantined per reason, under a heading (nothing when none were)."""
    if not reasons:
        return
    st.markdown(f"**{t('report_reasons')}**")
    st.dataframe(
        pd.DataFrame({"reason": list(reasons), "rows": list(reasons.values())}),
        hide_index=True,
        column_config={"reason": t("col_reason"), "rows": t("col_rows")},
    )


def ingest_report(report: dict, key: str) -> None:
    """What an ingest did: counts, quarantine reasons, unreadable files, and the report as JSON."""
    columns = st.columns(4)
    figures = ("added", "duplicate", "quarantined", "undated")
    for column, figure in zip(columns, figures, strict=True):
        column.metric(t(f"report_{figure}"), ui.format_number(report[figure], "id"))
    reasons_table(report["quarantined_by_reason"])
    for path, why in report["unreadable_files"].items():
        st.warning(t("unreadable", name=Path(path).name, reason=why))
    st.download_button(
        t("report_download"),
        json.dumps(report, ensure_ascii=False, indent=1).encode("utf-8"),
        file_name="sorotan-ingest-report.json",
        mime="application/json",
        icon=":material/download:",
        on_click="ignore",
        key=f"{key}_report_download",
    )


def upload(ctx: Context) -> None:
    """Upload files and ingest them into the store."""
    st.caption(t("upload_caption", mb=MAX_FILE_MB))
    with st.form("upload_form", clear_on_submit=True):
        files = st.file_uploader(
            t("upload_files"),
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
            max_upload_size=MAX_FILE_MB,
        )
        left, middle, right = st.columns(3)
        source = left.text_input(t("upload_source"), help=t("upload_source_help"))
        region = middle.text_input(t("upload_region"), help=t("upload_region_help"))
        mapping = right.text_input(t("upload_mapping"), help=t("upload_mapping_help"))
        submitted = st.form_submit_button(t("upload_button"), type="primary")
    if submitted and not files:
        st.warning(t("upload_none"))
    elif submitted:
        report = _ingest(ctx, files, source, region, mapping)
        if report is not None:
            st.session_state[UPLOAD_REPORT] = report
            st.rerun()  # every page then reads the store with the new articles
    if UPLOAD_REPORT in st.session_state:
        ingest_report(st.session_state[UPLOAD_REPORT], "upload")


def topic_model(ctx: Context) -> None:
    """The current build, and buttons to assign new articles or rebuild the topics."""
    from analysis.topics.build import BuildError, build_store
    from analysis.topics.embeddings import DEFAULT_EMBEDDING, embedding_names
    from analysis.topics.update import update_store

    info = ctx.corpus.info
    assigned = int((ctx.corpus.articles["base_topic_id"] != -1).sum())
    waiting = len(ctx.corpus.articles) - int(info.get("n_articles", 0)) if info else 0
    if info:
        columns = st.columns(4)
        columns[0].metric(t("build_topics"), info["n_topics"])
        columns[1].metric(t("build_articles"), ui.format_number(assigned, ctx.lang))
        columns[2].metric(t("build_waiting"), ui.format_number(max(waiting, 0), ctx.lang))
        columns[3].metric(t("build_embedding"), info["embedding"])
        st.caption(t("build_caption", version=info.get("version", "?")))
        reasons = (info.get("last_update") or {}).get("rebuild_reasons") or []
        for reason in reasons:
            st.warning(t("rebuild_due", reason=reason))
    else:
        empty_state("no_build_yet")
    left, right = st.columns(2, gap="large")
    with left.container(border=True):
        st.markdown(f"**{t('update_button')}**")
        st.caption(t("update_help"))
        update = st.button(t("update_button"), disabled=not info, icon=":material/add_task:")
    with right.container(border=True):
        st.markdown(f"**{t('rebuild_button')}**")
        st.caption(t("rebuild_help"))
        names = embedding_names()
        embedding = st.selectbox(
            t("build_embedding"),
            names,
            index=names.index(DEFAULT_EMBEDDING),
            help=t("embedding_help"),
        )
        rebuild = st.button(t("rebuild_button"), type="primary", icon=":material/autorenew:")
    if not (update or rebuild):
        return
    bar = st.progress(0.0, text=t("build_running"))
    try:
        if rebuild:
            result = build_store(ctx.store, embedding=embedding, progress=StreamlitProgress(bar))
            message = t("rebuild_done", n=result["n_topics"])
        else:
            result = update_store(ctx.store, progress=StreamlitProgress(bar))
            message = t("update_done", n=ui.format_number(result["n_new"], ctx.lang))
    except (BuildError, StoreError) as exc:
        bar.empty()
        st.error(t("build_failed", reason=str(exc)))
        return
    st.session_state[NOTICE] = message
    st.rerun()


def quality(ctx: Context) -> None:
    """How complete the data is: dates, places, languages, duplicates, articles per outlet."""
    with st.spinner(t("loading")):
        stats = loading.stats(str(ctx.store.path), ctx.corpus.version)
    summary = stats["quality"]
    columns = st.columns(5)
    columns[0].metric(t("metric_articles"), ui.format_number(stats["articles"], ctx.lang))
    columns[1].metric(
        t("quality_dated"), f"{summary.get('dated_share', 0):.0%}", help=t("quality_dated_help")
    )
    columns[2].metric(
        t("quality_placed"),
        f"{summary.get('province_share', 0):.0%}",
        help=t("quality_placed_help"),
    )
    columns[3].metric(t("quality_duplicates"), ui.format_number(stats["duplicates"], ctx.lang))
    columns[4].metric(t("quality_quarantined"), ui.format_number(stats["quarantined"], ctx.lang))
    undated = int(ctx.corpus.articles["published_at"].isna().sum())
    unplaced = int(ctx.corpus.articles["province_code"].isna().sum())
    st.caption(t("quality_caption", undated=undated, unplaced=unplaced))
    left, right = st.columns([1, 2], gap="large")
    with left:
        st.markdown(f"**{t('quality_languages')}**")
        languages = pd.DataFrame(
            {
                "language": [t(f"lang_{k}") for k in stats["languages"]],
                "articles": list(stats["languages"].values()),
            }
        )
        st.dataframe(
            languages,
            hide_index=True,
            column_config={"language": t("article_language"), "articles": t("col_articles")},
        )
        reasons_table(stats["quarantine_reasons"])
    with right:
        counts = panels.outlet_month_counts(ctx.corpus.articles)
        if counts.empty:
            empty_state("empty_period")
        else:
            fig = charts.outlet_heatmap_figure(
                counts,
                labels=ui.chart_labels(ctx.lang),
                title=t("quality_outlets"),
                months=ui.MONTHS[ctx.lang],
            )
            chart(fig, "quality_outlets", name="outlets-per-month")
            st.caption(t("quality_outlets_caption"))


def allow_list(ctx: Context) -> None:
    """For an administrator ($SOROTAN_ADMIN=1): the intranet hosts fetching may reach."""
    from data.fetch import ALLOW_META, allow_entries
    from data.fetch.guard import env_allow_hosts

    if os.environ.get(ADMIN_ENV) != "1":
        return
    saved = "\n".join(ctx.store.read_meta(ALLOW_META, []))
    text = st.text_area(t("allow_hosts"), saved, help=t("allow_hosts_help"), key="allow_hosts")
    try:
        from_env = env_allow_hosts()
    except ValueError as exc:
        st.error(str(exc))
        from_env = ()
    if from_env:
        st.caption(t("allow_hosts_env", hosts=", ".join(from_env)))
    if not st.button(t("allow_hosts_save"), key="allow_hosts_save"):
        return
    try:
        entries = allow_entries(text.splitlines(), t("allow_hosts"))
    except ValueError as exc:
        st.error(str(exc))
        return
    ctx.store.write_meta(ALLOW_META, list(entries))
    st.success(t("allow_hosts_saved"), icon=":material/check_circle:")


def feeds(ctx: Context) -> None:
    """Health of the followed feeds, and a button to fetch them (and new ones) now."""
    from data.fetch import Feed, FeedsFileError, feed_health, fetch

    health = feed_health(ctx.store)
    if health.empty:
        empty_state("feeds_none")
    else:
        st.dataframe(
            health,
            hide_index=True,
            column_config={
                "feed": t("col_feed"),
                "url": st.column_config.LinkColumn(t("col_link")),
                "last_success": st.column_config.DatetimeColumn(
                    t("col_last_success"), format="D MMM YYYY, HH:mm"
                ),
                "last_error": t("col_last_error"),
                "last_error_at": st.column_config.DatetimeColumn(
                    t("col_last_error_at"), format="D MMM YYYY, HH:mm"
                ),
                "items_total": st.column_config.NumberColumn(t("col_items"), format="localized"),
                "items_per_day": st.column_config.NumberColumn(
                    t("col_items_per_day"), format="%.1f"
                ),
            },
        )
    new_urls = st.text_area(
        t("feeds_add"), placeholder="https://…/rss.xml", height=80, key="feeds_add"
    )
    fetch_now = st.button(t("fetch_button"), icon=":material/rss_feed:", key="fetch_button")
    allow_list(ctx)
    if FETCH_REPORT in st.session_state:
        summary, errors, report = st.session_state[FETCH_REPORT]
        st.caption(summary)
        for url, reason in errors.items():
            st.warning(t("fetch_failed", url=url, reason=reason))
        ingest_report(report, "fetch")
    if not fetch_now:
        return
    try:
        known = [
            Feed(name=name, urls=(url,)) if isinstance(name, str) and name else Feed.from_url(url)
            for name, url in zip(health["feed"], health["url"], strict=True)
        ]
        wanted = dict.fromkeys(u.strip() for u in new_urls.splitlines() if u.strip())
        added = [Feed.from_url(url) for url in wanted if url not in set(health["url"])]
    except FeedsFileError as exc:
        st.error(str(exc))
        return
    if not known + added:
        st.warning(t("feeds_nothing"))
        return
    bar = st.progress(0.0, text=t("fetching"))
    done = 0

    def advanced(n: int) -> None:
        nonlocal done
        done += n
        bar.progress(0.5, text=t("fetched_items", n=done))

    try:
        report = fetch(ctx.store, known + added, progress=advanced)
    except (StoreError, ValueError) as exc:  # ValueError: a malformed $SOROTAN_ALLOW_HOSTS
        bar.empty()
        st.error(t("ingest_failed", reason=str(exc)))
        return
    st.session_state[FETCH_REPORT] = (report.summary(), report.errors, report.ingest.to_dict())
    st.rerun()  # the feed table and every page then read the store with the new articles


def render(ctx: Context) -> None:
    """The data page."""
    st.title(t("page_data"))
    _notice()
    tabs = st.tabs([t("tab_upload"), t("tab_topics"), t("tab_quality"), t("tab_feeds")])
    with tabs[0]:
        upload(ctx)
    with tabs[1]:
        topic_model(ctx)
    with tabs[2]:
        quality(ctx)
    with tabs[3]:
        feeds(ctx)


if __name__ == "__main__":
    render(context())
