"""Rewrite a follow-up question with the conversation: resolve pronouns and "what about X" turns."""

from __future__ import annotations

import re

from qa.text import entities, names_in

_SUBJECT = {"he", "she", "they"}
_OBJECT = {"him", "them"}
_POSSESSIVE = {"his", "their"}
_AMBIGUOUS = {"her"}
_DEMONSTRATIVE = re.compile(r"\b(that|this|it|there|then|those|these)\b", re.IGNORECASE)
_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(.+?)\s*\??\s*$", re.IGNORECASE)


def message_text(message: object) -> str:
    """Text of a Gradio/OpenAI message (content may be a string or a list of parts)."""
    content = message.get("content", "") if isinstance(message, dict) else ""
    if isinstance(content, str):
        return content
    if isinstance(content, list | tuple):
        parts = [p.get("text", "") if isinstance(p, dict) else p for p in content]
        return " ".join(p for p in parts if isinstance(p, str))
    return ""


def last_turn(history: list[dict]) -> tuple[str, str]:
    """(previous user question, previous assistant answer); empty strings when absent."""
    user, assistant = "", ""
    for message in reversed(history):
        role = message.get("role") if isinstance(message, dict) else None
        if role == "assistant" and not assistant and not user:
            assistant = message_text(message)
        elif role == "user":
            user = message_text(message)
            break
    return user, assistant


def rewrite(question: str, history: list[dict]) -> str:
    """Standalone version of `question` given `history`; the question itself when no context is needed."""
    previous, reply = last_turn(history)
    if not previous:
        return question
    about = _ABOUT.match(question)
    if about:
        return _swap_focus(previous, about.group(1))
    asked = entities(previous)
    answered = [n for n in names_in(_without_markers(reply)) if not any(n in a or a in n for a in asked)]
    if asked or answered:
        replaced = _resolve_pronouns(question, asked, answered)
        if replaced != question:
            return f"{replaced} ({previous.strip()})"
    if _DEMONSTRATIVE.search(question) or len(question.split()) <= 3:
        return f"{question} ({previous.strip()})"
    return question


def _without_markers(text: str) -> str:
    return re.sub(r"\[\d+\]", "", text)


def _swap_focus(previous: str, subject: str) -> str:
    """'What about X?' asks the previous question about X instead of its last named entity."""
    names = entities(previous)
    if not names:
        return f"{previous.rstrip(' ?')} {subject}?"
    last = names[-1]
    head, _, tail = previous.rpartition(last)
    return f"{head}{subject}{tail}"


def _resolve_pronouns(question: str, asked: list[str], answered: list[str]) -> str:
    """Replace third-person pronouns: subjects by the first name asked about, objects by the answer's name."""
    subject = (asked or answered)[0]
    other = next((n for n in answered + asked[1:] if n != subject), subject)

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        low = word.lower()
        if low in _SUBJECT:
            return subject
        if low in _OBJECT:
            return other
        if low in _POSSESSIVE:
            return f"{subject}'s"
        if low in _AMBIGUOUS:
            return other
        return word

    return re.sub(r"\b(?:he|she|they|him|them|his|their|her)\b", swap, question, flags=re.IGNORECASE)
