"""`python app.py` (and `make run`, `qa serve`): the Gradio chat. Its code lives in qa/ui/app.py."""

from qa.ui.app import main

if __name__ == "__main__":
    main()
