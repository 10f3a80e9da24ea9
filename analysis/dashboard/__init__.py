"""What the dashboard's pages show, computed without streamlit: the app and views lay it out.

Owns the store as the dashboard reads it, with the user's topic edits applied (`corpus`), the
global controls (`filters`), place names and map shapes (`places`), the numbers behind each panel
(`panels`), the top words and outlets of a set of articles (`focus`), one function per chart
(`charts`) and the presenter's slides (`slides`).

May import analysis.topics, analysis.trends, analysis.i18n and data.
"""
