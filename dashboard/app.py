"""argmap dashboard entry point (placeholder until the dashboard pages land)."""

import streamlit as st

st.set_page_config(page_title="argmap", layout="wide")
st.title("argmap")
st.write("The argument graph dashboard.")
