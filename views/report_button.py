"""The briefing download (analysis.briefing.report.briefing_bytes) for the chosen period and place."""

from __future__ import annotations

import streamlit as st

from views.common import Context, t

FORMATS = {"pptx": "PowerPoint", "html": "HTML", "pdf": "PDF"}
MIME = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "html": "text/html",
    "pdf": "application/pdf",
}
MAX_DAYS = 366


def render(ctx: Context) -> None:
    """Prepare the briefing of the period and place on screen, then offer it as a download."""
    from analysis.briefing.content import ReportError
    from analysis.briefing.report import briefing_bytes

    st.divider()
    st.subheader(t("briefing_title"))
    st.caption(t("briefing_caption"))
    if ctx.filters.days > MAX_DAYS:
        st.caption(t("briefing_too_long", days=MAX_DAYS))
        return
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    fmt = left.selectbox(
        t("briefing_format"), list(FORMATS), format_func=FORMATS.get, key="briefing_format"
    )
    if not right.button(t("briefing_prepare"), icon=":material/description:"):
        return
    region = ctx.filters.regency_code or ctx.filters.province_code
    try:
        with st.spinner(t("briefing_preparing")):
            payload = briefing_bytes(
                ctx.store,
                fmt,
                start=ctx.filters.start,
                end=ctx.filters.end,
                lang=ctx.lang,
                region=region,
            )
    except ReportError as exc:
        st.error(t("briefing_failed", reason=str(exc)))
        return
    st.download_button(
        t("briefing_download", fmt=FORMATS[fmt]),
        payload,
        file_name=f"sorotan-{ctx.filters.start:%Y%m%d}-{ctx.filters.end:%Y%m%d}.{fmt}",
        mime=MIME[fmt],
        icon=":material/download:",
        on_click="ignore",
        type="primary",
    )
