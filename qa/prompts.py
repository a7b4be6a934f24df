"""Prompt and message constants shared by the engines, the UI and the tests."""

REFUSAL = "The article doesn't say."
