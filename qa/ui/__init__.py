"""UI helpers for the Gradio app (app.py): rendering and per-session articles. The library never imports this."""
