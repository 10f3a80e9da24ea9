"""Topics: a searchable table of every topic, and a page per topic with its history and edits."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.dashboard import charts, panels
from analysis.dashboard.corpus import View, merged, renamed, unmerged, with_hidden
from analysis.i18n import ui
from analysis.topics.build_folder import last_topic_change, save_topic_edits, undo_topic_edit
from analysis.topics.ids import TopicEdits
from views import controls, drill, focus
from views.common import Context, article_table, chart, context, empty_state, escaped, t

TABLE_IDS = "_topic_table_ids"
NEXT_TOPIC = "_topic_next"
PENDING = "_topic_edit_pending"  # the merge or hide waiting for its confirmation


def _pick_from_table() -> None:
    """When a table row is selected, open that topic."""
    rows = st.session_state["topic_table"]["selection"]["rows"]
    if rows:
        st.session_state["topic_pick"] = st.session_state[TABLE_IDS][rows[0]]


def _open(topic_id: int) -> None:
    """Open another topic (a related topic's button)."""
    st.session_state["topic_pick"] = topic_id


def topic_table(ctx: Context, statuses: pd.Series) -> None:
    """Every visible topic, searchable and sortable, with a sparkline of its articles."""
    topics = ctx.view.visible_topics()
    table = panels.topic_table(ctx.view.cube, topics, ctx.filters, statuses)
    query = st.text_input(
        t("topic_search"),
        key="topic_search",
        placeholder=t("topic_search_hint"),
        icon=":material/search:",
    )
    if query:
        text = table["label"].str.lower() + " " + table["keywords"].str.lower()
        table = table.loc[text.str.contains(query.lower(), regex=False)].reset_index(drop=True)
    st.session_state[TABLE_IDS] = table["topic_id"].tolist()
    shown = table.assign(status=table["status"].map(lambda s: t(f"status_{s}")))
    st.dataframe(
        shown[["label", "articles", "share", "trend", "status", "regions", "keywords"]],
        key="topic_table",
        on_select=_pick_from_table,
        selection_mode="single-row",
        hide_index=True,
        height=420,
        column_config={
            "label": st.column_config.TextColumn(t("col_topic"), width="large"),
            "keywords": st.column_config.TextColumn(t("col_keywords"), width="large"),
            "articles": st.column_config.NumberColumn(
                t("col_articles"), format="localized", width="small"
            ),
            "share": st.column_config.ProgressColumn(
                t("col_share"),
                format="percent",
                min_value=0.0,
                max_value=max(float(table["share"].max()) if len(table) else 0.0, 0.01),
            ),
            "trend": st.column_config.LineChartColumn(
                t("col_trend", freq=t(f"per_{ctx.filters.freq}")), y_min=0
            ),
            "status": st.column_config.TextColumn(
                t("col_status"), help=t("status_help"), width="small"
            ),
            "regions": st.column_config.TextColumn(t("col_regions")),
        },
    )
    st.caption(t("topic_table_caption", n=len(table)))


def history(ctx: Context, topic_id: int) -> None:
    """The topic's share (or count) over time with a 95% band; a click opens that period."""
    measure = controls.measure_choice("topic_measure", ["share", "count"], "measure")
    shares = panels.series_shares(
        ctx.view.cube, ctx.filters, {topic_id: ctx.view.label_of(topic_id)}, {}, ctx.as_of
    )
    if shares.empty:
        empty_state("empty_period")
        return
    drill.share_chart(
        ctx, shares, measure, f"topic_history_{topic_id}", name=f"topic-{topic_id}", height=340
    )


def where_and_who(ctx: Context, topic_id: int) -> None:
    """Provinces, regencies and outlets carrying the topic."""
    level = "regency_code" if ctx.filters.province_code else "province_code"
    places = panels.place_volume(ctx.view.cube, ctx.filters, topic_id, level)
    places = places.loc[places["articles"] > 0].head(12)
    outlets = panels.topic_outlets(ctx.view.cube, topic_id, ctx.filters).head(12)
    left, right = st.columns(2, gap="large")
    with left:
        title = t("topic_places_regencies" if level == "regency_code" else "topic_places")
        topic_bars(topic_id, "places", title, places["name"], places["articles"], "no_places")
    with right:
        title = t("topic_outlets")
        topic_bars(
            topic_id, "outlets", title, outlets["source"], outlets["articles"], "empty_period"
        )


def topic_bars(
    topic_id: int, part: str, title: str, names: pd.Series, articles: pd.Series, empty: str
) -> None:
    """A topic's articles per name (part: places or outlets) as bars under a title, or the empty
    note when there are none."""
    st.markdown(f"**{title}**")
    if names.empty:
        st.caption(t(empty))
        return
    fig = charts.bar_figure(
        names, articles, axis_title=t("col_articles"), labels=ui.chart_labels(context().lang)
    )
    chart(fig, f"topic_{part}_{topic_id}", name=f"topic-{topic_id}-{part}")


def words(ctx: Context, topic_id: int) -> None:
    """The topic's words month by month, with the words new against the month before."""
    table = panels.topic_words(ctx.corpus.tables["topic_words_by_period"], topic_id, ctx.filters)
    st.markdown(f"**{t('topic_words')}**")
    if table.empty:
        st.caption(t("empty_period"))
        return
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "period": t("col_month"),
            "articles": st.column_config.NumberColumn(t("col_articles"), format="localized"),
            "keywords": st.column_config.TextColumn(t("col_keywords"), width="large"),
            "new_words": st.column_config.TextColumn(t("col_new_words"), help=t("new_words_help")),
        },
    )


def stories(ctx: Context, topic_id: int) -> None:
    """The build's most typical articles and the newest ones in the period."""
    typical = panels.representative_articles(ctx.view.articles, ctx.view.topics, topic_id)
    latest = panels.latest_articles(ctx.view.articles, ctx.filters, topic_id)
    st.markdown(f"**{t('topic_typical')}**")
    article_table(typical, f"topic_typical_{topic_id}", height="auto")
    st.markdown(f"**{t('topic_latest')}**")
    article_table(latest, f"topic_latest_{topic_id}", height=320)


def related(ctx: Context, topic_id: int) -> None:
    """Topics closest to this one, as buttons that open them."""
    near = panels.related_topics(ctx.view.visible_topics(), topic_id)
    st.markdown(f"**{t('topic_related')}**")
    for row in near.itertuples():
        st.button(
            row.label,
            key=f"related_{topic_id}_{row.topic_id}",
            on_click=_open,
            args=(int(row.topic_id),),
            icon=":material/arrow_forward:",
        )


def change_text(view: View, change: dict) -> str:
    """A topic edit in words, naming its topics: 'gabungkan «A» ke «B»'."""
    kind = change.get("kind", "")
    names = {
        name: view.label_of(int(change[field]))
        for name, field in (("label", "topic_id"), ("into", "into"))
        if field in change
    } | {"old": change.get("old", "")}
    if f"change_{kind}" not in ui.ID:
        return t("change_other")
    return t(f"change_{kind}", **names)


def save(ctx: Context, edits: TopicEdits, change: dict, *, next_topic: object = ...) -> None:
    """Save an edit (undoable), open next_topic when given, and draw the page again."""
    save_topic_edits(ctx.store, edits, change)
    if next_topic is not ...:
        st.session_state[NEXT_TOPIC] = next_topic
    st.session_state.pop(PENDING, None)
    st.rerun()


def _ask(change: dict) -> None:
    """Ask to confirm a merge or a hide before it is saved."""
    st.session_state[PENDING] = change


def _cancel() -> None:
    """Forget the edit waiting for confirmation."""
    st.session_state.pop(PENDING, None)


def confirmation(ctx: Context, topic_id: int) -> None:
    """The merge or hide of this topic waiting to be confirmed, naming both topics, with its
    confirm and cancel buttons."""
    change = st.session_state.get(PENDING)
    if not change or change.get("topic_id") != topic_id:
        return
    kind = change["kind"]
    with st.container(border=True, key=f"confirm_{kind}_{topic_id}"):
        st.markdown(f"**{escaped(change_text(ctx.view, change))}?**")
        st.caption(t(f"confirm_{kind}_caption"))
        yes, no = st.columns(2)
        if yes.button(t(f"confirm_{kind}"), key=f"confirm_yes_{topic_id}", type="primary"):
            if kind == "hide":
                save(ctx, with_hidden(ctx.view.edits, topic_id, True), change, next_topic=None)
            try:
                edited = merged(ctx.view.edits, topic_id, int(change["into"]))
            except ValueError:
                st.error(t("merge_loop"))
                return
            save(ctx, edited, change, next_topic=int(change["into"]))
        no.button(t("confirm_cancel"), key=f"confirm_no_{topic_id}", on_click=_cancel)


def edit(ctx: Context, topic_id: int) -> None:
    """Rename, merge into another topic, or hide (the last two after a confirmation naming both
    topics): saved in the store, kept through rebuilds, undoable."""
    edits = ctx.view.edits
    pending = (st.session_state.get(PENDING) or {}).get("topic_id") == topic_id
    with st.expander(t("edit_title"), icon=":material/edit:", expanded=pending):
        st.caption(t("edit_caption"))
        with st.form(f"rename_{topic_id}", border=False):
            label = st.text_input(
                t("rename_label"),
                value=ctx.view.label_of(topic_id),
                max_chars=80,
                key=f"rename_label_{topic_id}",
            )
            if st.form_submit_button(t("rename_button"), key=f"rename_button_{topic_id}"):
                change = {
                    "kind": "rename",
                    "topic_id": topic_id,
                    "old": ctx.view.label_of(topic_id),
                }
                save(ctx, renamed(edits, topic_id, label), change)
        others = [tid for tid in ctx.view.visible_topics()["topic_id"] if tid != topic_id]
        with st.form(f"merge_{topic_id}", border=False):
            into = st.selectbox(
                t("merge_into"),
                others,
                index=None,
                placeholder=t("merge_pick"),
                format_func=ctx.view.label_of,
                key=f"merge_into_{topic_id}",
            )
            if st.form_submit_button(t("merge_button"), key=f"merge_button_{topic_id}"):
                if into is None:
                    st.warning(t("merge_pick_first"))
                else:
                    _ask({"kind": "merge", "topic_id": topic_id, "into": int(into)})
        absorbed = [k for k, v in edits.merges.items() if v == topic_id]
        for source in absorbed:
            if st.button(
                t("unmerge_button", label=ctx.view.label_of(source)), key=f"unmerge_{source}"
            ):
                change = {"kind": "unmerge", "topic_id": source, "into": topic_id}
                save(ctx, unmerged(edits, source), change)
        st.button(
            t("hide_button"),
            key=f"hide_{topic_id}",
            icon=":material/visibility_off:",
            on_click=_ask,
            args=({"kind": "hide", "topic_id": topic_id},),
        )
        confirmation(ctx, topic_id)


def undo(ctx: Context) -> None:
    """A button taking back the newest topic edit, naming it."""
    change = last_topic_change(ctx.store)
    if change is None:
        return
    if st.button(
        t("undo_button", change=change_text(ctx.view, change)),
        key="topic_undo",
        icon=":material/undo:",
    ):
        undone = undo_topic_edit(ctx.store)
        if undone is not None and change.get("kind") in ("merge", "hide"):
            st.session_state[NEXT_TOPIC] = int(change["topic_id"])
        st.rerun()


def hidden_topics(ctx: Context) -> None:
    """Topics the user hid, each with a button to show it again."""
    hidden = sorted(ctx.view.edits.hidden)
    if not hidden:
        return
    with st.expander(t("hidden_title", n=len(hidden)), icon=":material/visibility_off:"):
        for topic_id in hidden:
            if st.button(
                t("unhide_button", label=ctx.view.label_of(topic_id)), key=f"unhide_{topic_id}"
            ):
                change = {"kind": "unhide", "topic_id": topic_id}
                save(ctx, with_hidden(ctx.view.edits, topic_id, False), change)


def detail(ctx: Context, topic_id: int) -> None:
    """Everything about one topic."""
    row = ctx.view.topics.set_index("topic_id").loc[topic_id]
    st.header(escaped(ctx.view.label_of(topic_id)), divider="orange")
    st.caption(
        t(
            "topic_meta",
            keywords=", ".join(list(row["keywords"])[:10]),
            theme=row.get("theme_label", ""),
            size=ui.format_number(int(row["size"]), ctx.lang),
        )
    )
    history(ctx, topic_id)
    where_and_who(ctx, topic_id)
    words(ctx, topic_id)
    members = (ctx.view.articles["topic_id"] == topic_id).to_numpy()
    focus.render(ctx, members, f"t{topic_id}", side_by_side=True)
    stories(ctx, topic_id)
    left, right = st.columns(2, gap="large")
    with left:
        related(ctx, topic_id)
    with right:
        edit(ctx, topic_id)


def render(ctx: Context) -> None:
    """The topics page."""
    st.title(t("page_topics"))
    if not ctx.corpus.has_build:
        empty_state("no_build_yet")
        return
    st.caption(t("topics_intro"))
    visible = ctx.view.visible_topics()
    statuses = panels.emerging(ctx.view.cube, visible, ctx.filters, ctx.lang).set_index("topic_id")[
        "status"
    ]
    topic_table(ctx, statuses)
    undo(ctx)
    hidden_topics(ctx)
    if NEXT_TOPIC in st.session_state:
        st.session_state["topic_pick"] = st.session_state.pop(NEXT_TOPIC)
    picked = controls.topic_choice(
        ctx.view, "topic_pick", "topic", t("topic_pick"), t("topic_pick_none")
    )
    if picked is not None:
        detail(ctx, int(picked))


if __name__ == "__main__":
    render(context())
