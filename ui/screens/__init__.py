"""Page scripts that st.navigation runs; each calls one view of ui/views/."""
