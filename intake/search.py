"""Thai full-text search over the index.

``documents_search`` (see ``Index._create_search_index``) uses SQLite's trigram
tokenizer: any substring of three or more code points is found wherever it occurs,
so "จัดซื้อ" is found inside "จัดซื้อจัดจ้าง" without segmenting Thai into words,
also across a line break. What trigrams cannot do is handled here, at query time:

- Terms shorter than three code points ("งบ"): every indexed trigram that starts
  with the term is looked up in the FTS vocabulary and the term becomes their OR,
  which still answers from the index.
- Digits: documents keep the digits they were written with, so a term with digits
  matches its Thai-digit and Arabic-digit forms alike (๒๕๖๕ = 2565).
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from classifiers.text import arabic_digits, thai_digits
from intake.index import Index, joined_sql

MARK_START, MARK_END = "«", "»"
SNIPPET_CHARS = 160
# A one-letter Thai term can open thousands of trigrams; past this many the OR is
# slower than scanning the text.
MAX_EXPANSION = 400
# Matches in the file name count more than matches in the text.
NAME_WEIGHT, TEXT_WEIGHT = 4.0, 1.0

_TERM = re.compile(r'"([^"]+)"|(\S+)')
_VOCAB = "temp.oit_search_vocab"
_THAI_WRAP = re.compile(r"(?<=[\u0e01-\u0e5b])\r?\n(?=[\u0e01-\u0e5b])")


@dataclass(frozen=True)
class Term:
    """One word or quoted phrase of the query, in every written form it may take."""

    forms: tuple[str, ...]

    @classmethod
    def of(cls, *texts: str) -> "Term":
        forms = [f for t in texts for f in (t, arabic_digits(t), thai_digits(t))]
        return cls(tuple(dict.fromkeys(forms)))

    @property
    def short(self) -> bool:
        return len(self.forms[0]) < 3


def parse_query(query: str) -> list[Term]:
    """Words separated by spaces must all occur; "a quoted phrase" is one term.

    A single letter or digit after a word belongs to it ("ไตรมาสที่ 2", "สขร. 1"):
    alone it would match nearly every document. Extraction may or may not have
    kept the space, so both spellings count.
    """
    words = [(q or b).strip().strip('"').lower() for q, b in _TERM.findall(query)]
    terms: list[Term] = []
    previous: str | None = None
    for word in filter(None, words):
        if len(word) == 1 and previous is not None:
            terms[-1] = Term.of(f"{previous} {word}", previous + word)
            previous = None
        else:
            previous = word
            terms.append(Term.of(word))
    return terms


def _fts_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _ensure_vocab(conn: sqlite3.Connection) -> None:
    # In the temp schema: per connection, invisible to Datasette and to other tools.
    conn.execute(
        f"create virtual table if not exists {_VOCAB} using fts5vocab(main, documents_search, row)"
    )


def _trigrams_starting(conn: sqlite3.Connection, prefix: str) -> list[str] | None:
    """Indexed trigrams beginning with ``prefix``; None when there are too many to OR."""
    rows = conn.execute(
        f"select term from {_VOCAB} where term >= ? and term < ? limit ?",
        [prefix, prefix + "\U0010ffff", MAX_EXPANSION + 1],
    ).fetchall()
    if len(rows) > MAX_EXPANSION:
        return None
    return [term for (term,) in rows]


def _match_expression(conn: sqlite3.Connection,
                      terms: list[Term]) -> tuple[str | None, list[Term]] | None:
    """The FTS5 MATCH string for the terms it can answer, and the terms left for a
    scan; None when some term occurs in no document."""
    clauses, scanned = [], []
    for term in terms:
        if not term.short:
            clauses.append("(" + " OR ".join(_fts_string(f) for f in term.forms) + ")")
            continue
        expansions = [_trigrams_starting(conn, form) for form in term.forms]
        if None in expansions:
            scanned.append(term)  # too common to expand: the scan decides
            continue
        # Misses only a term that is the very last text of a document; no option at
        # all means no document holds it anywhere else.
        options = [t for found in expansions for t in found]
        if not options:
            return None
        clauses.append("(" + " OR ".join(_fts_string(t) for t in options) + ")")
    return (" AND ".join(clauses) or None), scanned


def _scan_clause(term: Term) -> tuple[str, list[str]]:
    parts, args = [], []
    for form in term.forms:
        parts.append(f"(instr(lower({joined_sql('d.text')}), ?) > 0 "
                     "or instr(lower(d.original_name), ?) > 0)")
        args += [form, form]
    return "(" + " or ".join(parts) + ")", args


def search(
    index: Index,
    query: str,
    item: str | None = None,
    fiscal_year: int | None = None,
    status: str | None = None,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """Documents matching every term of ``query``, best first, with a marked snippet.

    An empty query lists the newest documents that pass the filters.
    """
    conn = index.db.conn
    _ensure_vocab(conn)
    terms = parse_query(query)
    plan = _match_expression(conn, terms)
    if plan is None:
        return []
    match, scanned = plan

    where, args = [], []
    if item is not None:
        where.append("d.item = ?")
        args.append(item)
    if fiscal_year is not None:
        # A multi-year plan is about every year of its span.
        where.append("(d.fiscal_year = ? or (d.fiscal_year <= ? and d.fiscal_year_end >= ?))")
        args += [fiscal_year, fiscal_year, fiscal_year]
    if status is not None:
        where.append("d.status = ?")
        args.append(status)
    else:
        where.append("d.status in ('filed', 'review')")
    for term in scanned:
        clause, clause_args = _scan_clause(term)
        where.append(clause)
        args += clause_args

    # Rank on ids alone and read the text of the few rows kept: carrying every
    # match's text through the sort costs more than the search itself.
    if match is not None:
        sql = (
            "select d.id, -bm25(documents_search, ?, ?) as score "
            "from documents_search join documents d on d.id = documents_search.rowid "
            "where documents_search match ? " + "".join(f"and {w} " for w in where)
            + "order by bm25(documents_search, ?, ?) limit ?"
        )
        params = [NAME_WEIGHT, TEXT_WEIGHT, match, *args, NAME_WEIGHT, TEXT_WEIGHT, limit]
    else:
        sql = (
            "select d.id, 0.0 as score from documents d "
            + ("where " + " and ".join(where) + " " if where else "")
            + "order by d.id desc limit ?"
        )
        params = [*args, limit]
    filtered = item is not None or fiscal_year is not None or status is not None or scanned
    ranked = _rank_in_index(conn, match, limit) if match is not None and not filtered else None
    if ranked is None:
        ranked = conn.execute(sql, params).fetchall()
    rows = {
        row[0]: row
        for row in conn.execute(
            "select id, item, fiscal_year, fiscal_year_end, status, archived_as, original_name, "
            f"text from documents where id in ({','.join('?' * len(ranked))})",
            [document_id for document_id, _ in ranked],
        )
    }

    forms = [form for term in terms for form in term.forms]
    hits = []
    for document_id, score in ranked:
        row = rows[document_id]
        hits.append({
            "id": row[0],
            "item": row[1],
            "fiscal_year": row[2],
            "fiscal_year_end": row[3],
            "status": row[4],
            "archived_as": row[5],
            "original_name": row[6],
            "score": round(score, 6),
            "snippet": _hit_snippet(row[7] or "", row[6] or "", forms),
        })
    return hits


def _rank_in_index(conn: sqlite3.Connection, match: str,
                   limit: int) -> list[tuple[int, float]] | None:
    """The best matches ranked by the FTS index alone, without joining every match
    to its document: the default view only drops documents neither filed nor waiting
    (rejected, in process), which rarely have text. None when too many were dropped
    to fill ``limit``."""
    wanted = limit * 2 + 10
    ranked = conn.execute(
        "select rowid, -bm25(documents_search, ?, ?) from documents_search "
        "where documents_search match ? order by bm25(documents_search, ?, ?) limit ?",
        [NAME_WEIGHT, TEXT_WEIGHT, match, NAME_WEIGHT, TEXT_WEIGHT, wanted],
    ).fetchall()
    shown = {
        document_id for (document_id,) in conn.execute(
            f"select id from documents where id in ({','.join('?' * len(ranked))}) "
            "and status in ('filed', 'review')",
            [document_id for document_id, _ in ranked],
        )
    }
    kept = [hit for hit in ranked if hit[0] in shown]
    if len(kept) >= limit or len(ranked) < wanted:
        return kept[:limit]
    return None


def _spans(text: str, forms: list[str]) -> list[tuple[int, int]]:
    """Where any form occurs in ``text`` (case-insensitive), merged and in order."""
    lowered = text.lower()
    spans = []
    for form in forms:
        start = lowered.find(form)
        while start >= 0:
            spans.append((start, start + len(form)))
            start = lowered.find(form, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, forms: list[str]) -> str:
    """``text`` with every occurrence of the forms between MARK_START and MARK_END."""
    out, last = [], 0
    for start, end in _spans(text, forms):
        out += [text[last:start], MARK_START, text[start:end], MARK_END]
        last = end
    out.append(text[last:])
    return "".join(out)


def _hit_snippet(text: str, name: str, forms: list[str]) -> str:
    """The text around the match; when only the file name matched, the marked name
    and the start of the text, so the reader sees why it was found."""
    shown = snippet(text, forms)
    if MARK_START in shown or not forms or not _spans(name, forms):
        return shown or name
    return mark(name, forms) + (f" — {shown}" if shown else "")


def _join_lines(text: str) -> str:
    """Line breaks between Thai letters joined (a word wrapped), others made spaces."""
    return " ".join(_THAI_WRAP.sub("", text).split())


def snippet(text: str, forms: list[str], width: int = SNIPPET_CHARS) -> str:
    """A one-line window of ``text`` around its first match, matches marked.

    Without a match (an empty query, or a match in the file name) the window is
    the start of the text.
    """
    text = _join_lines(text)
    lowered = text.lower()
    first = lowered.find(forms[0]) if forms else -1
    for form in forms[1:]:
        found = lowered.find(form)
        if found >= 0 and (first < 0 or found < first):
            first = found
    start = max(0, first - width // 3) if first >= 0 else 0
    line = text[start:start + width]
    if not line:
        return ""
    return ("…" if start > 0 else "") + mark(line, forms) + ("…" if start + width < len(text) else "")
