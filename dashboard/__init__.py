"""argmap's Streamlit dashboard."""
