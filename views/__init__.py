"""The dashboard's pages and the pieces they share; the only package besides app.py using streamlit."""
