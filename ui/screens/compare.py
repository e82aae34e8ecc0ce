"""The Compare page as the script st.navigation runs (a file, so Streamlit's AppTest can switch to it)."""

from ui.views import compare

compare.render()
