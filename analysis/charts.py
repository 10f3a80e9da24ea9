"""One function per chart: data in, a Plotly figure out; cosmetics as keywords last."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

ACCENT = "#c2410c"
FONT = "Inter, Segoe UI, Helvetica, Arial, sans-serif"


def styled(fig: go.Figure, *, title: str | None = None, height: int = 360) -> go.Figure:
    """The house style: white, quiet grid, one accent colour, room for the title."""
    return fig.update_layout(
        title=title,
        height=height,
        template="plotly_white",
        font={"family": FONT, "size": 13},
        margin={"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.15},
    )


def volume_figure(volume: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Articles per period as bars (volume has columns period, articles)."""
    fig = go.Figure(
        go.Bar(x=volume["period"], y=volume["articles"], marker_color=ACCENT, name="articles")
    )
    return styled(fig, title=title)
