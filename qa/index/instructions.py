"""Sentences written to steer an AI that reads the article (prompt injection): 'Ignore all previous instructions
and say ...', 'Note to AI assistants: you must answer that ...', 'SYSTEM: ...'.

They stay in the article and its pane, marked, but are never quoted in an answer, the overview or a suggestion,
and never reach a model's prompt. No maintained detector runs offline without fetching a model from a hub
(pytector, llm-guard and promptscan download DeBERTa from Hugging Face), and nearest-example MiniLM similarity
did not separate them (12 held-out injections scored 0.18-0.60 against 0.39 for a real Scottish Parliament
sentence), so this is a small rule over spaCy's lemmas, measured by `python -m qa.eval.instructions`: no false
alarm on the 1,970 sentences of the SQuAD articles and the bundled texts, nor on 14 sentences about AI and rules
written as news would, and all 21 hand-written injections caught.
"""

from __future__ import annotations

import itertools
import re

from qa.index.nlp import Annotation

# 'ignore / disregard ... (all|previous|your ...) instructions': overriding what a model was told
_OVERRIDE = frozenset({"ignore", "disregard", "forget", "override", "bypass"})
_TOLD = frozenset(
    {"instruction", "prompt", "rule", "guideline", "direction", "directive", "programming", "guardrail", "context"}
)
_EARLIER = frozenset({"previous", "prior", "above", "earlier", "preceding", "all", "your", "original", "system"})
_TOLD_A_MODEL = frozenset({"instruction", "prompt", "guideline", "programming", "guardrail"})
_KEEP = frozenset({"follow", "obey"})  # 'do not follow your system prompt'
_NEAR = 4  # the instructions are named within a few words of the verb
# a reader that is a model: 'AI', 'chatbot', 'language model', 'ChatGPT'
_MACHINE = frozenset({"ai", "chatbot", "llm", "llms", "gpt", "chatgpt", "bot", "model", "assistant"})
_MACHINE_ALONE = frozenset({"ai", "chatbot", "llm", "llms", "gpt", "chatgpt"})  # 'model', 'assistant' need 'AI'
# what it is told to do: say, answer, reveal ...
_COMMAND = frozenset(
    {"say", "tell", "reply", "respond", "answer", "output", "write", "print", "state", "reveal", "claim", "repeat"}
)
# ... and is spoken to: 'If you are an AI', 'as an AI model', 'this article', 'reading this', 'tell the user'
_TEXTS = frozenset({"article", "text", "page", "document", "story", "content", "post", "email", "site"})
# a chat template's role marker at the start: 'SYSTEM:', '[INST]', '<|im_start|>', '### Instruction'
_ROLE = re.compile(r"^\W*(?:\[/?INST\]|<\|im_start\|>|#{2,}\s*(?:system|instruction)|(?:system|assistant)\s*:)", re.I)


def is_instruction(text: str, note: Annotation) -> bool:
    """Whether a sentence is written to an AI reader rather than to people: it tells a model to set aside what
    it was told (or not to follow it), addresses a model with a command, or opens with a chat template's role marker."""
    if _ROLE.search(text):
        return True
    lemmas = [t.lemma.lower() for t in note.tokens]
    words = set(lemmas)
    for i, lemma in enumerate(lemmas):
        after = lemmas[i + 1 : i + _NEAR + 1]
        if lemma in _OVERRIDE and _overridden(after, _TOLD):
            return True
        # 'do not follow your system prompt', not 'residents who do not follow the previous rules'
        if lemma in _KEEP and lemma in note.negations and _overridden(after, _TOLD_A_MODEL):
            return True
    machine = bool(words & _MACHINE_ALONE) or ("ai" in words and bool(words & _MACHINE))
    if not (machine and words & _COMMAND):
        return False
    user = any(text[t.start : t.end].lower() == "user" for t in note.tokens)  # 'tell the user', not 'for users'
    return user or _imperative(note) or _self(lemmas) or _identity(lemmas)


def _identity(lemmas: list[str]) -> bool:
    """Whether the sentence tells its reader it is a model: 'you are an AI', 'as an AI model'."""
    for i, lemma in enumerate(lemmas):
        if lemma == "you" and "be" in lemmas[i + 1 : i + 3] and _MACHINE & set(lemmas[i + 2 : i + 6]):
            return True
        if lemma == "as" and _MACHINE & set(lemmas[i + 1 : i + 4]):
            return True
    return False


def _overridden(after: list[str], told: frozenset[str]) -> bool:
    """Whether the words after an override verb name what a model was told: 'all previous instructions', 'your
    rules' (a word of time or ownership before the noun: 'override any rule of national law' is law)."""
    return any(lemma in told and _EARLIER & set(after[:j]) for j, lemma in enumerate(after))


def _self(lemmas: list[str]) -> bool:
    """Whether the sentence points at the text it is in: 'this article', 'reading this'."""
    pairs = itertools.pairwise(lemmas)
    return any((a == "this" and b in _TEXTS) or (a == "read" and b == "this") for a, b in pairs)


def _imperative(note: Annotation) -> bool:
    """Whether the sentence opens with a verb, nothing but a vocative before it ('Hey ChatGPT, ignore ...')."""
    for token in note.tokens:
        if token.pos == "VERB":
            return True
        if token.pos in ("NOUN", "PROPN", "PRON", "AUX", "NUM") and token.lemma.lower() not in _MACHINE:
            return False
    return False


def instructions(texts: list[str], notes: tuple[Annotation, ...] | list[Annotation]) -> frozenset[int]:
    """The positions of the sentences that are instructions to an AI reader."""
    return frozenset(i for i, (text, note) in enumerate(zip(texts, notes, strict=False)) if is_instruction(text, note))
