"""Live monitoring in the dashboard: the freshness line, watch buttons, and the Data page's tab of
last rounds and saved watches (add and remove)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.dashboard.places import province_names
from analysis.i18n.strings import said
from analysis.watch.freshness import freshness_text, store_freshness
from analysis.watch.log import last_rounds
from analysis.watch.watches import KINDS, WatchError, add_watch, load_watches, remove_watch
from data.store import Store, StoreError
from views.common import UI_KEY, Context

ROUNDS_SHOWN = 20


def w(key: str, **values: object) -> str:
    """A monitoring string in the reader's language."""
    return said("watch", key, st.session_state.get(UI_KEY) or "id", **values)


@st.fragment(run_every=60)
def freshness_line(store: Store) -> None:
    """'updated 4 min ago; next round 10:30; 2 feeds failing', kept current every minute."""
    lang = st.session_state.get(UI_KEY) or "id"
    try:
        line = freshness_text(store_freshness(store), pd.Timestamp.now("UTC"), lang)
    except (StoreError, OSError, ValueError):  # a damaged store is reported by the page itself
        return
    st.caption(f":material/schedule: {line}")


def _watched(store: Store, kind: str, value: str | None) -> bool:
    return any(watch.kind == kind and watch.value == value for watch in load_watches(store))


def watch_button(
    ctx: Context, kind: str, value: str | None, labels: tuple[str, str], key: str
) -> None:
    """A button that saves a watch on a topic or region; labels: before and once saved."""
    if _watched(ctx.store, kind, value):
        st.button(labels[1], key=key, icon=":material/visibility:", disabled=True, type="tertiary")
        return
    if st.button(
        labels[0],
        key=key,
        icon=":material/notifications:",
        help=w("watch_button_help"),
        type="tertiary",
    ):
        try:
            watch = add_watch(ctx.store, kind, value)
        except WatchError as exc:
            st.error(str(exc))
            return
        st.toast(w("added", name=watch.name), icon=":material/check_circle:")
        st.rerun()


def topic_button(ctx: Context, topic_id: int) -> None:
    """'Watch' beside a topic: alerts when it rises."""
    labels = (w("watch_button"), w("watching"))
    watch_button(ctx, "topic", str(topic_id), labels, f"watch_topic_{topic_id}")


def region_button(ctx: Context) -> None:
    """'Watch topics rising in Banten' when the filters choose a province (nothing otherwise)."""
    code = ctx.filters.province_code
    if code:
        region = province_names().get(code, code)
        labels = (w("watch_region_button", region=region), w("watching_region", region=region))
        watch_button(ctx, "region", code, labels, "watch_region")


ROUND_FIGURES = ("added", "assigned", "rising", "alerts", "feeds_failed", "seconds")


def _round_note(entry: dict) -> str:
    """A round's note: why it failed, or what it built."""
    if entry["status"] in ("failed", "interrupted"):
        return entry.get("summary") or w("round_stage", stage=entry.get("stage", ""))
    built = (entry.get("figures") or {}).get("built")
    return w(f"built_{built.replace(' ', '_')}") if built else ""


def rounds(ctx: Context) -> None:
    """The last rounds of the watcher, newest first, with their figures."""
    st.markdown(f"**{w('rounds_heading')}**")
    entries = last_rounds(ctx.store, ROUNDS_SHOWN)[::-1]
    if not entries:
        st.info(w("rounds_none"), icon=":material/info:")
        return
    started = [pd.Timestamp(e["started_at"]).tz_convert("Asia/Jakarta") for e in entries]
    table = pd.DataFrame(
        {
            "started": [moment.tz_localize(None) for moment in started],
            "status": [w(f"round_{e['status']}") for e in entries],
            **{
                name: [(e.get("figures") or {}).get(name) for e in entries]
                for name in ROUND_FIGURES
            },
            "note": [_round_note(e) for e in entries],
        }
    )
    number = {"format": "localized"}
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "started": st.column_config.DatetimeColumn(w("col_started"), format="D MMM, HH:mm"),
            "status": w("col_status"),
            **{
                name: st.column_config.NumberColumn(w(f"col_{name}"), **number)
                for name in ROUND_FIGURES[:-1]
            },
            "seconds": st.column_config.NumberColumn(w("col_seconds"), format="%.1f"),
            "note": st.column_config.TextColumn(w("col_note"), width="large"),
        },
    )


def _target(kind: str, value: str | None, ctx: Context) -> str:
    """What a watch follows, as a reader reads it."""
    if kind == "topic":
        return ctx.corpus.label_of(int(value)) if ctx.corpus.has_build else str(value)
    if kind == "region" and value is None:
        return w("everywhere")
    if kind == "region":
        return province_names().get(value, value)
    return str(value)


def watches(ctx: Context) -> None:
    """The saved watches, with a way to remove one."""
    st.markdown(f"**{w('watches_heading')}**")
    saved = load_watches(ctx.store)
    if not saved:
        st.info(w("watches_none"), icon=":material/info:")
        return
    st.dataframe(
        pd.DataFrame(
            {
                "id": [s.id for s in saved],
                "name": [s.name for s in saved],
                "kind": [w(f"kind_{s.kind}") for s in saved],
                "target": [_target(s.kind, s.value, ctx) for s in saved],
            }
        ),
        hide_index=True,
        column_config={
            "id": w("col_id"),
            "name": w("col_name"),
            "kind": w("col_kind"),
            "target": w("col_target"),
        },
    )
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    names = {s.id: f"{s.id} · {s.name}" for s in saved}
    chosen = left.selectbox(
        w("remove_choice"), list(names), format_func=names.get, key="watch_remove_choice"
    )
    if right.button(w("remove_button"), icon=":material/delete:", key="watch_remove"):
        removed = remove_watch(ctx.store, chosen)
        st.toast(w("removed", name=removed.name), icon=":material/check_circle:")
        st.rerun()


def _value_input(ctx: Context, kind: str) -> str | None:
    """The input of what a new watch of a kind follows."""
    if kind == "query":
        return st.text_input(w("add_query"), help=w("add_query_help"), key="watch_query")
    if kind == "topic":
        topics = ctx.view.visible_topics() if ctx.corpus.has_build else pd.DataFrame()
        ids = [str(i) for i in topics.get("topic_id", [])]
        labels = dict(zip(ids, topics.get("label", []), strict=True))
        return st.selectbox(w("add_topic"), ids, format_func=labels.get, key="watch_topic")
    names = {None: w("everywhere"), **province_names()}
    codes = list(names)
    return st.selectbox(w("add_region"), codes, format_func=names.get, key="watch_region")


def add(ctx: Context) -> None:
    """A form to save a new watch on a query, a topic or a region."""
    st.markdown(f"**{w('add_heading')}**")
    kind = st.segmented_control(
        w("add_kind"),
        KINDS,
        default="query",
        format_func=lambda k: w(f"kind_{k}"),
        key="watch_kind",
    )
    value = _value_input(ctx, kind or "query")
    name = st.text_input(w("add_name"), key="watch_name")
    if not st.button(w("add_button"), type="primary", icon=":material/add_alert:", key="watch_add"):
        return
    try:
        watch = add_watch(ctx.store, kind or "query", value, name)
    except WatchError as exc:
        st.error(str(exc))
        return
    st.toast(w("added", name=watch.name), icon=":material/check_circle:")
    st.rerun()


def render_tab(ctx: Context) -> None:
    """The Data page's monitoring tab: freshness, last rounds, watches, a new watch."""
    freshness_line(ctx.store)
    rounds(ctx)
    left, right = st.columns(2, gap="large")
    with left:
        watches(ctx)
    with right:
        add(ctx)
