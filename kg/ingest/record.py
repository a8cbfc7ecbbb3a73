"""One record as a reader found it, before validation and merging, and field normalisers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.records import SourceRef

_ARXIV_NEW = re.compile(r"\d{4}\.\d{4,5}")
_ARXIV_OLD = re.compile(r"[a-z][a-z.-]*/\d{7}", re.IGNORECASE)
_ARXIV_PREFIX = re.compile(
    r"^(?:https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/|arxiv:\s*)", re.IGNORECASE
)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_ABSTRACT_PREFIX = re.compile(r"^abstract\s*:\s*", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
_ENDS_WITH_INITIALS = re.compile(r"\s(?:[A-Z]\.?){1,3}\s*$")
_PMID = re.compile(r"^\d{1,9}$")
_PMCID = re.compile(r"^(?:PMC)?(\d{1,9})$", re.IGNORECASE)
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL_SPACE = re.compile("[\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")
_UNWANTED = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f\ufdd0-\ufdef"
    + "".join(chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000))
    + "]"
)
# LaTeX's text-style commands, which abstracts taken from arXiv or OpenReview keep
# ("named \textbf{S2DMVSC}", "{\em cycle-consistency}": 1,180 of the 87,990 corpus
# papers): the styled words are the text, the markup hides names from extraction.
# Commands: LaTeX2e's font commands (\textbf ... \emph, \underline, \mbox, and
# amsmath's \text) and their declaration forms in a group ({\em ...}, {\bf ...}).
_TEXT_STYLE = re.compile(
    r"\\(?:text(?:bf|it|sl|sc|sf|tt|rm|up|normal)?|emph|underline|mbox)\s*\{([^{}]*)\}"
    r"|\{\\(?:em|bf|it|sl|sc|sf|tt|rm)\s+([^{}]*)\}"
)
# A word set in math mode to look like a symbol: "$Skill-RRT$", "$F$ine-$G$rained",
# "($S$kill $P$lanning to $IN$ference)": letters, digits and inner hyphens only, so no
# formula ("$L_2$", "$x^2$", "$O(n)$") is touched, nor the letter between two formulas
# ("G$^2$M$^2$": no dollar next to a sub- or superscript or a closing brace).
_WORD_IN_MATH = re.compile(r"(?<![\^_}\d])\$([A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)\$(?![\^_{])")
# Fewer words than this is no abstract: a placeholder ("[No abstract available]") or a stub.
# The shortest abstract in the two shared corpora (88k papers) has 12 words.
MIN_ABSTRACT_WORDS = 8
_PLACEHOLDER_MAX_CHARS = 200  # longer text is never counted in words: it is an abstract


@dataclass(slots=True)  # not frozen: frozen dataclasses build 5x slower, twice per record
class RawRecord:
    """A record as read from one place in one file; fields are raw until `clean` runs."""

    source: SourceRef
    abstract: str | None
    title: str | None = None
    url: str | None = None
    year: int | None = None
    authors: tuple[str, ...] = ()
    doi: str | None = None
    arxiv_id: str | None = None
    pmid: str | None = None
    pmcid: str | None = None

    def identifiers(self) -> tuple[str, ...]:
        """The record's identifiers as `scheme:value` strings (the schemes Paper.id uses)."""
        # Spelled out rather than a generator over the schemes: this runs several times a record.
        found = []
        if self.arxiv_id:
            found.append(f"arxiv:{self.arxiv_id}")
        if self.doi:
            found.append(f"doi:{self.doi}")
        if self.pmid:
            found.append(f"pmid:{self.pmid}")
        if self.pmcid:
            found.append(f"pmc:{self.pmcid}")
        return tuple(found)


def repair_text(text: str) -> str:
    """Text every later stage can encode: lone surrogates become U+FFFD, control characters
    that are whitespace become spaces, other controls (NUL) and non-characters are dropped."""
    # Surrogates, controls, separators and unassigned code points are all non-printable:
    # one C-speed check passes almost every text untouched.
    if text.isprintable():
        return text
    text = _SURROGATE.sub("\ufffd", text)
    text = _CONTROL_SPACE.sub(" ", text)
    return _UNWANTED.sub("", text)


def undecodable_byte(text: str) -> int | None:
    """The first byte a text reader could not decode as UTF-8 (kept by surrogateescape)."""
    if text.isprintable():  # a surrogate is not printable; this check is the cheaper scan
        return None
    match = _ESCAPED_BYTE.search(text)
    return ord(match.group()) - 0xDC00 if match else None


def is_placeholder_abstract(text: str) -> bool:
    """`[No abstract available]`, `Abstract not available`: shorter than any real sentence."""
    return len(text) < _PLACEHOLDER_MAX_CHARS and len(text.split()) < MIN_ABSTRACT_WORDS


def fold_whitespace(text: str) -> str:
    """Collapse every run of whitespace (including newlines) to one space and trim."""
    if _is_folded(text):
        return text
    return " ".join(text.split())


def _is_folded(text: str) -> bool:
    # Most input is already folded: these scans are several times cheaper than split + join.
    # Printable text holds no whitespace but the space: every other character str.split()
    # splits at is a control or a separator, which isprintable refuses (checked over all of
    # Unicode); text it refuses is folded by split + join, which is exact.
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


def unstyle_latex(text: str) -> str:
    """The text without LaTeX's text-style markup around words (`_TEXT_STYLE`), innermost
    first ("\\textbf{\\emph{X}}" is "X"), and without the dollars around a word set in math
    (`_WORD_IN_MATH`). Other LaTeX (formulas, citations) is left as written."""
    while "\\" in text:
        unstyled = _TEXT_STYLE.sub(lambda match: match[1] or match[2] or "", text)
        if unstyled == text:
            break
        text = unstyled
    return _WORD_IN_MATH.sub(r"\1", text) if "$" in text else text


def clean_abstract(text: str | None, *, repair: bool = False) -> str:
    """Fold whitespace, drop a leading `Abstract:` label and LaTeX's text-style markup;
    "" when nothing is left.

    With `repair`, `repair_text` comes first: one scan of the text when it needs neither
    (folded text is printable), where the two steps would scan it twice.
    """
    if not text:
        return ""
    if not _is_folded(text):
        text = fold_whitespace(repair_text(text) if repair else text)
    return _ABSTRACT_PREFIX.sub("", unstyle_latex(text))


def clean_title(text: str | None) -> str | None:
    """Fold whitespace and drop LaTeX's text-style markup; None for a missing or blank
    title."""
    if not text:
        return None
    return unstyle_latex(fold_whitespace(text)) or None


def normalise_doi(value: str | None) -> str | None:
    """`https://doi.org/10.1/X` or `doi:10.1/X` -> `10.1/x` (DOIs are case-insensitive)."""
    if not value:
        return None
    doi = _DOI_PREFIX.sub("", value.strip()).lower()
    return doi if _DOI.match(doi) else None


def normalise_arxiv_id(value: str | None) -> str | None:
    """`http://arxiv.org/abs/2304.12306v2`, `arXiv:2304.12306` -> `2304.12306`; None if not one."""
    if not value:
        return None
    text = _ARXIV_PREFIX.sub("", value.strip())
    text = re.sub(r"(?:v\d+)?(?:\.pdf)?/?$", "", text, flags=re.IGNORECASE)
    if _ARXIV_NEW.fullmatch(text):
        return text
    if _ARXIV_OLD.fullmatch(text):
        return text.lower()
    return None


def arxiv_id_from_doi(doi: str | None) -> str | None:
    """arXiv's own DOIs (`10.48550/arXiv.2304.12306`) name the arXiv id."""
    match = _ARXIV_DOI.match(doi or "")
    return normalise_arxiv_id(match.group(1)) if match else None


def normalise_pmid(value: object) -> str | None:
    """A PubMed id (`38253604`); None if not one."""
    text = text_field(value)
    text = text.strip() if text else ""
    return text.lstrip("0") or None if _PMID.match(text) else None


def normalise_pmcid(value: object) -> str | None:
    """A PubMed Central id as `PMC1234567`; None if not one."""
    text = text_field(value)
    match = _PMCID.match(text.strip()) if text else None
    return f"PMC{match.group(1)}" if match else None


def pubmed_title(title: str | None) -> str | None:
    """PubMed ends every title with a period; the paper's title has none."""
    return title.removesuffix(".") if title and not title.endswith("..") else title


def parse_year(value: object) -> int | None:
    """An int year, or the first plausible four-digit year in a string such as `2023-05-01`."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1800 <= value <= 2999 else None
    if isinstance(value, str):
        match = _YEAR.search(value)
        return int(match.group(1)) if match else None
    return None


def split_authors(value: object) -> tuple[str, ...]:
    """Authors from a list, or from one string split at `;`, else ` and `, else `,`; one
    comma after a bare surname is one `Last, First` name (`Wang S, Zhao Z` is two)."""
    if isinstance(value, list):
        names = [str(name) for name in value if isinstance(name, str | int | float)]
    elif isinstance(value, str):
        for separator in (";", " and ", ","):
            if separator in value:
                names = value.split(separator)
                break
        else:
            names = [value]
        if len(names) == 2 and separator == "," and not _ENDS_WITH_INITIALS.search(names[0]):
            names = [value]
    else:
        return ()
    return tuple(folded for name in names if (folded := fold_whitespace(name)))


def text_field(value: object) -> str | None:
    """A field's value as text when it is a string or number; None for anything else."""
    if isinstance(value, str):
        return value
    if value is None:  # the common case of a field not given: spare the checks below
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def list_field(value: object) -> list:
    """A field's value when it is a list, else an empty list."""
    return value if isinstance(value, list) else []
