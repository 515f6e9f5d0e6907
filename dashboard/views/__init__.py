"""The dashboard pages, one module per page (run by ``dashboard/app.py`` through st.navigation).

Not named ``pages/``: Streamlit would also serve a ``pages/`` directory next to the entry point
as a legacy multipage app, running a page without the entry point around it.
"""
