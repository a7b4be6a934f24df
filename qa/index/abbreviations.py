"""Abbreviations news writes: titles before a name and a few words a question may spell out."""

from __future__ import annotations

# Titles written with a dot before a name: no sentence ends after them. Each maps to the word it stands for
# where it has one (features match 'Gov. Bill Lee' to "the governor": `ABBREVIATIONS`).
TITLES: dict[str, str] = {
    "mr": "",
    "mrs": "",
    "ms": "",
    "dr": "doctor",
    "prof": "professor",
    "sen": "senator",
    "rep": "representative",
    "gov": "governor",
    "gen": "general",
    "col": "colonel",
    "lt": "lieutenant",
    "sgt": "sergeant",
    "capt": "captain",
    "cmdr": "commander",
    "adm": "admiral",
    "maj": "major",
    "pres": "president",
    "st": "",
    "mt": "mount",
    "ft": "",
    "jr": "",
    "sr": "",
    "rev": "reverend",
    "hon": "",
    "messrs": "",
    "mme": "",
    "mlle": "",
    "supt": "superintendent",
    "insp": "inspector",
}

# Dotted US states spaCy's tokenizer exceptions lack (they hold the others: 'Tenn.', 'N.M.').
STATES: dict[str, str] = {"tex": "texas"}

# Abbreviations news writes for words a question spells out (and the other way round), keyed by the lowercase
# word without its dot: titles before a name (`TITLES`) and a few more. spaCy's tokenizer knows the
# dotted states and months ('Tenn.' -> Tennessee, 'Aug.' -> August: `nlp.Token.norm`) but no titles.
ABBREVIATIONS: dict[str, str] = {
    **{short: word for short, word in TITLES.items() if word},
    "atty": "attorney",
    "det": "detective",
    "ceo": "chief executive",
    "cfo": "chief financial officer",
    "coo": "chief operating officer",
    "phd": "doctorate",
    "gop": "republican",
    **STATES,
}
