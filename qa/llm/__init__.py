"""The opt-in llm engine: chat-model factory, engine, prompts, citation parser, verifier, support checker."""
