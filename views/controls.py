"""Global controls in the sidebar, kept in the URL (st.query_params) so any view is a shareable link.

Each control has a session key and a URL parameter. On a session's first run the URL seeds the
controls; on every run the app writes back the parameters that differ from their defaults (pages add
their own with `keep`), so the address bar always restores the view on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from analysis.dashboard.corpus import Corpus, View
from analysis.dashboard.filters import FREQS, PRESETS, Filters, data_span, period_window
from analysis.dashboard.places import province_names, regency_names
from analysis.i18n import ui
from analysis.i18n.phrasing import format_count
from data.sample import SYNTHETIC_NOTICE
from views.common import t

URL_KEY = "_sorotan_url"
#: Keys of the selectboxes whose option names are words (registered as they are drawn), and the
#: language they were last drawn in: a selectbox keeps the name it was sent, so after a language
#: switch each one is given its value again, which sends the name in the new language.
NAMED_KEYS = "_named_option_keys"
DRAWN_LANGUAGE = "_drawn_language"
#: URL parameter -> the session keys of the controls kept under it; what write_url last wrote.
PARAM_KEYS = "_url_param_keys"
WRITTEN = "_url_written"
PERIODS = (*PRESETS, "custom")
IMAGE_FORMATS = ("png", "svg")


def begin_url() -> list[str]:
    """Start collecting this run's URL parameters; when the address bar carries a parameter with a
    value other than the one this session last wrote there (a link was followed, an address typed),
    the controls kept under it are read from the URL again. The parameters so followed."""
    st.session_state[URL_KEY] = {}
    written = st.session_state.get(WRITTEN)
    if written is None:  # the session's first run: every control is read from the URL anyway
        return []
    followed = [
        param
        for param in st.query_params
        if st.query_params.get_all(param) != _as_list(written.get(param))
    ]
    for param in followed:
        for key in st.session_state.get(PARAM_KEYS, {}).get(param, ()):
            if key in st.session_state:
                del st.session_state[key]
    return followed


def _as_list(value: Any) -> list[str]:
    """A URL parameter's value(s) as a list."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def keep(param: str, value: Any, default: Any = None) -> None:
    """Put a control's value in the URL (left out when it is the default)."""
    if value in (None, "", [], ()) or value == default:
        return
    st.session_state.setdefault(URL_KEY, {})[param] = (
        [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    )


def write_url() -> None:
    """Replace the address bar's parameters with this run's."""
    wanted = st.session_state.get(URL_KEY, {})
    st.session_state[WRITTEN] = dict(wanted)
    if dict(st.query_params.to_dict()) != wanted or any(
        isinstance(v, list) for v in wanted.values()
    ):
        st.query_params.from_dict(wanted)


def seed(key: str, param: str, default: Any, parse: Callable[[Any], Any] = str) -> Any:
    """The control's value: from session state, else from the URL, else the default; a URL value
    parse refuses (an unknown or stale id) is said in a warning where the control is drawn."""
    st.session_state.setdefault(PARAM_KEYS, {}).setdefault(param, set()).add(key)
    if key not in st.session_state:
        value = default
        multi = isinstance(default, list)
        raw = st.query_params.get_all(param) if multi else st.query_params.get(param)
        if raw:
            try:
                value = parse(raw)
            except (TypeError, ValueError, KeyError):
                value = default
                unknown_link(param, raw)
        st.session_state[key] = value
    return st.session_state[key]


def selection_kept(key: str, param: str, selected: str | None, parse=str) -> str | None:
    """What a chart click or a table row picks, kept in the URL under param: the newest pick, else
    the URL's value (parse refusing it says so); clearing the pick clears it."""
    seed(key, param, None, parse)
    last = f"_picked_{key}"
    if selected != st.session_state.get(last):
        st.session_state[last] = selected
        st.session_state[key] = selected
    keep(param, st.session_state[key])
    return st.session_state[key]


def unknown_link(param: str, raw: Any) -> None:
    """Say that a link's parameter names something this store does not have (any more)."""
    value = ", ".join(raw) if isinstance(raw, list) else str(raw)
    st.warning(t("link_unknown", param=param, value=value[:80]), icon=":material/link_off:")


def kept_choice(
    key: str,
    param: str,
    options: list,
    label: str,
    names: Callable[[Any], str],
    *,
    initial: Any = None,
    parse: Callable[[Any], Any] = str,
    placeholder: str | None = None,
    where: Any = st,
) -> Any:
    """A selectbox kept in the URL under param: its value from the session, else the URL, else
    initial, and the first option once that is no longer among the options."""

    def listed(raw: Any) -> Any:
        value = parse(raw)
        if value not in options:
            raise ValueError(raw)
        return value

    seed(key, param, initial, listed)
    if st.session_state[key] not in options:
        st.session_state[key] = options[0] if options else None
    chosen = where.selectbox(
        label, options, key=named(key), placeholder=placeholder, format_func=names
    )
    keep(param, chosen)
    return chosen


def topic_choice(
    view: View, key: str, param: str, label: str, none: str, *, where: Any = st
) -> int | None:
    """One of the visible topics, or None (named `none`), kept in the URL under param."""

    def name(topic_id: int | None) -> str:
        return none if topic_id is None else view.label_of(topic_id)

    options = [None, *view.visible_topics()["topic_id"].tolist()]
    return kept_choice(key, param, options, label, name, parse=int, placeholder=none, where=where)


def regency_choice(
    articles: pd.DataFrame,
    province: str,
    key: str,
    param: str,
    *,
    initial: str = "",
    where: Any = st,
) -> str:
    """A regency of the province among those with articles ('' for all of them), kept in the URL."""
    in_province = articles.loc[articles["province_code"] == province, "regency_code"]
    names = regency_names()
    return kept_choice(
        key,
        param,
        ["", *sorted(in_province.dropna().unique().tolist())],
        t("regency"),
        lambda c: names.get(c, c) if c else t("all_regencies"),
        initial=initial,
        where=where,
    )


def measure_choice(key: str, options: list[str], words: str) -> str | None:
    """A switch between a few measures, the first by default; t(words) names it and
    t(f"{words}_{option}") each option."""
    return st.segmented_control(
        t(words),
        options,
        key=key,
        required=True,
        format_func=lambda option: t(f"{words}_{option}"),
        default=options[0],
    )


def _choice(allowed: tuple | list) -> Callable[[str], str]:
    """A parser accepting only the allowed values."""

    def parse(raw: str) -> str:
        if raw not in allowed:
            raise ValueError(raw)
        return raw

    return parse


def named(key: str) -> str:
    """key, registered as a selectbox whose option names are words of the interface language."""
    st.session_state.setdefault(NAMED_KEYS, set()).add(key)
    return key


def renamed_options(lang: str) -> list[str]:
    """After a language switch, the registered selectboxes given their values again (so they show
    their option in lang, not the name they were last sent); the keys refreshed."""
    drawn = st.session_state.get(DRAWN_LANGUAGE)
    st.session_state[DRAWN_LANGUAGE] = lang
    if drawn in (None, lang):
        return []
    keys = sorted(k for k in st.session_state.get(NAMED_KEYS, set()) if k in st.session_state)
    for key in keys:
        st.session_state[key] = st.session_state[key]
    return keys


def ui_language() -> str:
    """The interface language switch (id/en), at the top of the sidebar."""
    seed("ctl_ui", "ui", "id", _choice(ui.LANGUAGES))
    with st.sidebar:
        chosen = st.segmented_control(
            "🌐",
            ui.LANGUAGES,
            key="ctl_ui",
            format_func=lambda code: ui.LANGUAGE_NAMES[code],
            required=True,
            label_visibility="collapsed",
        )
    keep("ui", chosen, "id")
    renamed_options(chosen or "id")
    return chosen or "id"


def presenting() -> bool:
    """Whether the presenter view is on (?present=1)."""
    seed("ctl_present", "present", False, lambda raw: raw == "1")
    seed("slide_index", "slide", 1, int)  # read before the switch to the presenter page
    keep("present", "1" if st.session_state["ctl_present"] else None)
    return bool(st.session_state["ctl_present"])


def set_presenting(on: bool) -> None:
    """Switch the presenter view on or off (takes effect on the next run)."""
    st.session_state["ctl_present"] = on


def _period(first: pd.Timestamp, last: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Period preset (and custom range) controls; the chosen first and last day."""
    preset = seed("ctl_period", "period", "90d", _choice(PERIODS))
    st.selectbox(
        t("period"),
        PERIODS,
        key=named("ctl_period"),
        format_func=lambda p: t(f"period_{p}"),
        help=t("period_help"),
    )
    preset = st.session_state["ctl_period"] or "90d"
    keep("period", preset, "90d")
    custom = None
    if preset == "custom":
        if "ctl_range" not in st.session_state:
            st.session_state["ctl_range"] = _url_range(first, last)
        chosen = st.date_input(
            t("custom_range"),
            key="ctl_range",
            min_value=first.date(),
            max_value=max(last.date(), first.date()),
            format="DD/MM/YYYY",
        )
        if isinstance(chosen, tuple | list) and len(chosen) == 2:
            custom = tuple(chosen)
            keep("from", custom[0].isoformat())
            keep("to", custom[1].isoformat())
    return period_window(preset, first, last, custom)


def _url_range(first: pd.Timestamp, last: pd.Timestamp) -> tuple[date, date]:
    """The custom range in the URL (?from=&to=), else the last 30 days with data."""
    try:
        return (
            date.fromisoformat(st.query_params["from"]),
            date.fromisoformat(st.query_params["to"]),
        )
    except (KeyError, ValueError):
        start, end = period_window("30d", first, last)
        return start.date(), end.date()


def _places(corpus: Corpus) -> tuple[str | None, str | None]:
    """Province and regency pickers (only places that have articles)."""
    articles = corpus.articles
    present = sorted(articles["province_code"].dropna().unique().tolist())
    names = province_names()
    seed("ctl_prov", "prov", "", _choice(["", *present]))
    province = st.selectbox(
        t("province"),
        ["", *present],
        key=named("ctl_prov"),
        format_func=lambda c: names.get(c, c) if c else t("all_provinces"),
    )
    keep("prov", province)
    regency = regency_choice(articles, province, "ctl_reg", "reg") if province else ""
    return province or None, regency or None


def _outlets_and_language(corpus: Corpus) -> tuple[tuple[str, ...], str | None]:
    """Outlet multi-picker and article language picker."""
    articles = corpus.articles
    outlets = sorted(articles["source"].dropna().unique().tolist())
    seed("ctl_outlets", "outlet", [], lambda raw: [o for o in raw if o in set(outlets)])
    chosen = st.multiselect(t("outlets"), outlets, key="ctl_outlets", placeholder=t("all_outlets"))
    keep("outlet", chosen, [])
    languages = ["", *sorted(articles["language"].dropna().unique().tolist())]
    seed("ctl_lang", "lang", "", _choice(languages))
    language = st.selectbox(
        t("article_language"),
        languages,
        key=named("ctl_lang"),
        format_func=lambda c: t(f"lang_{c}") if c else t("all_languages"),
    )
    keep("lang", language)
    return tuple(chosen), language or None


def sidebar(corpus: Corpus) -> tuple[Filters, str]:
    """Every global control; the filters they make and the chart image format."""
    first, last = data_span(corpus.cube)
    with st.sidebar:
        start, end = _period(first, last)
        st.caption(t("period_shown", range=ui.format_range(start, end, _lang())))
        seed("ctl_freq", "freq", "W", _choice(FREQS))
        freq = st.segmented_control(
            t("granularity"),
            FREQS,
            key="ctl_freq",
            format_func=lambda f: t(f"freq_{f}"),
            required=True,
        )
        keep("freq", freq, "W")
        province, regency = _places(corpus)
        sources, language = _outlets_and_language(corpus)
        seed("ctl_img", "img", "png", _choice(IMAGE_FORMATS))
        image_format = st.segmented_control(
            t("image_format"),
            IMAGE_FORMATS,
            key="ctl_img",
            format_func=str.upper,
            required=True,
            help=t("image_format_help"),
        )
        keep("img", image_format, "png")
    filters = Filters(start, end, freq or "W", province, regency, sources, language)
    return filters, image_format or "png"


def _lang() -> str:
    """The interface language chosen this run."""
    return st.session_state.get("ctl_ui") or "id"


def store_badge(path: str, articles: int, build: str | None, synthetic: bool) -> None:
    """Which store is open, how big, which build; a clear badge when it is the synthetic sample."""
    with st.sidebar:
        st.divider()
        if synthetic:
            st.badge(t("synthetic_badge"), icon=":material/science:", color="orange")
            st.caption(ui.notice_in(SYNTHETIC_NOTICE, _lang()))
        st.caption(
            t(
                "store_caption",
                path=path,
                articles=format_count(articles, _lang()),
                build=build or t("no_build"),
            )
        )
