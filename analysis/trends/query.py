"""The keyword query language: words, "quoted phrases", AND/OR/NOT (DAN/ATAU/BUKAN), parentheses.

Operators count only when written in capitals; in lower case they are ordinary words. Words side
by side mean AND; NOT binds tighter than AND, AND tighter than OR. Words are stemmed (PySastrawi),
so a Term holds stems; a phrase is a Term of several stems that must follow each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from data.search.stems import stem

OPERATORS = {"AND": "AND", "DAN": "AND", "OR": "OR", "ATAU": "OR", "NOT": "NOT", "BUKAN": "NOT"}
WORD = re.compile(r"[^\W_]+")
QUERY_TOKEN = re.compile(r'\s*(?:(\()|(\))|"([^"]*)("?)|([^\s()"]+))')


@dataclass(frozen=True)
class Term:
    """A word (one stem) or a phrase (stems in a row)."""

    stems: tuple[str, ...]


@dataclass(frozen=True)
class Not:
    """Articles not matching the operand."""

    operand: Query


@dataclass(frozen=True)
class And:
    """Articles matching both sides."""

    left: Query
    right: Query


@dataclass(frozen=True)
class Or:
    """Articles matching either side."""

    left: Query
    right: Query


Query = Term | Not | And | Or


def _lexemes(query: str) -> list[tuple[str, str]]:
    """The query as (kind, text) pairs: '(' ')' op term; ValueError on an unclosed quote."""
    lexemes: list[tuple[str, str]] = []
    position = 0
    while query[position:].strip():
        match = QUERY_TOKEN.match(query, position)
        opened, closed, phrase, quote_end, word = match.groups()
        if phrase is not None and not quote_end:
            raise ValueError(f"unclosed quote at character {match.start(3)} of the query")
        if opened or closed:
            lexemes.append((opened or closed, opened or closed))
        elif phrase is not None:
            lexemes.append(("term", phrase))
        else:
            lexemes.append(("op", OPERATORS[word]) if word in OPERATORS else ("term", word))
        position = match.end()
    return lexemes


def _term(text: str) -> Term:
    """The stems of a word or phrase; ValueError if it has no letters or digits."""
    words = WORD.findall(text.lower())
    if not words:
        raise ValueError(f"{text!r} has no letters or digits to search for")
    return Term(tuple(stem(w) for w in words))


class _Parser:
    """Recursive descent over the lexemes: or := and (OR and)*; and := not (AND? not)*."""

    def __init__(self, lexemes: list[tuple[str, str]]) -> None:
        self.lexemes = lexemes
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.lexemes[self.at] if self.at < len(self.lexemes) else None

    def take(self) -> tuple[str, str]:
        self.at += 1
        return self.lexemes[self.at - 1]

    def parse(self) -> Query:
        tree = self.disjunction()
        if self.peek() is not None:
            raise ValueError(_unexpected(self.peek()))
        return tree

    def disjunction(self) -> Query:
        tree = self.conjunction()
        while self.peek() == ("op", "OR"):
            self.take()
            tree = Or(tree, self.conjunction())
        return tree

    def conjunction(self) -> Query:
        tree = self.negation()
        while (nxt := self.peek()) is not None and nxt not in (("op", "OR"), (")", ")")):
            if nxt == ("op", "AND"):
                self.take()
            tree = And(tree, self.negation())
        return tree

    def negation(self) -> Query:
        if self.peek() == ("op", "NOT"):
            self.take()
            return Not(self.negation())
        return self.atom()

    def atom(self) -> Query:
        lexeme = self.peek()
        if lexeme is None:
            raise ValueError("the query ends where a word, phrase or '(' is expected")
        kind, text = self.take()
        if kind == "term":
            return _term(text)
        if kind == "(":
            if self.peek() == (")", ")"):
                raise ValueError("empty parentheses in the query")
            tree = self.disjunction()
            if self.peek() != (")", ")"):
                raise ValueError("a '(' in the query is never closed")
            self.take()
            return tree
        raise ValueError(_unexpected(lexeme))


def _unexpected(lexeme: tuple[str, str]) -> str:
    """The error message for a lexeme found where it cannot stand."""
    kind, text = lexeme
    if kind == ")":
        return "a ')' in the query has no matching '('"
    return f"operator {text} must stand between two words, phrases or groups"


def parse_query(query: str) -> Query:
    """The query's syntax tree; ValueError with a plain reason when it is malformed."""
    if not isinstance(query, str) or not query.strip():
        raise ValueError("the query is empty")
    return _Parser(_lexemes(query)).parse()


def query_terms(tree: Query) -> set[Term]:
    """Every word and phrase in the tree."""
    if isinstance(tree, Term):
        return {tree}
    if isinstance(tree, Not):
        return query_terms(tree.operand)
    return query_terms(tree.left) | query_terms(tree.right)


def evaluate(tree: Query, masks: dict[Term, np.ndarray]) -> np.ndarray:
    """The boolean mask of the tree, given each term's mask."""
    if isinstance(tree, Term):
        return masks[tree]
    if isinstance(tree, Not):
        return ~evaluate(tree.operand, masks)
    left, right = evaluate(tree.left, masks), evaluate(tree.right, masks)
    return left & right if isinstance(tree, And) else left | right
