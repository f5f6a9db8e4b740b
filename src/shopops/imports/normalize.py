"""Pure normalisation of the values found in channel exports: no Django, no I/O.

Platform exports are messy (docs/rules/platforms.md#export-quirks): trailing spaces and BOMs in
headers, ids written as ``="…"`` or prefixed with a tab so Excel keeps them as text, ``-`` for empty,
thousands separators, ``¥``/``$`` prefixes, percent strings. Every cell goes through one of these
functions before it is mapped to a record.

A bad value raises :class:`ValueProblem`, which carries its message as an English ``core.text.Text``: the
face that shows the ``FieldError`` built from it says it in the operator's language. Numbers from xlsx cells (int/float) and
date cells (datetime/date) are accepted as well as strings.

Rules decided here (each has a test):

* **Empty**: ``""``, ``-``, ``--``, ``—``, ``null`` (any case), ``N/A``, ``#N/A`` are empty (``None``).
* **Formula rule** (:func:`neutralize_formula`): after cleaning, a text starting with ``=``, ``+``,
  ``-`` or ``@`` is a formula unless the whole text is one plain number (``-5``, ``+3.5``,
  ``-1,234.50``, ``-12%``, ``-¥5``). A formula is returned with a leading apostrophe ``'`` (OWASP CSV
  injection advice): Excel and LibreOffice show it as text and never evaluate it, and openpyxl writes it
  as a string. ``+86-138…`` is neutralised too: Excel would compute it. Leading apostrophes are read as
  text markers and dropped, so cleaning twice gives the same text.
* **Money rule** (:func:`parse_money_fen`): more than two decimals is an error naming the value, unless
  the extra digits are all zeros (``12.3400``); nothing is rounded silently, because sub-fen digits mean
  a unit price or a wrong column. An xlsx float is first read as Excel displays it (15 significant
  digits), so binary noise (``0.30000000000000004``) is not mistaken for a third decimal.
* Currency symbols are stripped, not converted: the importer knows the column's currency.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shopops.core.domain import neutralize_formula
from shopops.core.money import MAX_YUAN
from shopops.core.text import Text, gettext_noop

DEFAULT_TZ = "Asia/Shanghai"

NULL_TOKENS = frozenset({"", "-", "--", "---", "—", "——", "null", "NULL", "Null", "N/A", "n/a", "#N/A"})

_MAX_WHOLE_YUAN = int(MAX_YUAN)
_EXACT_FLOAT_INT = 2**53  # above this a float is not an exact integer any more
_EXCEL_EXACT_INT = 10**15  # Excel keeps 15 significant digits: a longer number has lost its tail
_SHOWN_VALUE_CHARS = 40


class ValueProblem(ValueError):
    """A cell value that cannot be read; ``text`` is its English message, said by the face."""

    def __init__(self, text: Text) -> None:
        super().__init__(text)
        self.text = text


def _is_null(text: str) -> bool:
    """An empty marker (after unwrapping): ``""``, ``-``, ``null`` in any case, ``N/A``…"""
    return text in NULL_TOKENS or (len(text) == 4 and text.casefold() == "null")


def _shown(value: object) -> str:
    """The value as quoted in an error message, cut short so a hostile cell cannot flood the report."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > _SHOWN_VALUE_CHARS:
        text = text[:_SHOWN_VALUE_CHARS] + "…"
    return f"“{text}”"


# --------------------------------------------------------------------------------------------- headers

INVISIBLE_CHARS = "\ufeff\u200b\u200c\u200d\u2060"  # BOM, zero-width space/joiners, word joiner
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
_QUOTE_PAIRS = {'"': '"', "'": "'", "“": "”", "‘": "’", "「": "」"}


def normalize_header(text: object) -> str:
    """A header as a stable matching key: NFKC, no BOM/zero-width chars, no outer quotes, one space.

    Why: the same export ships as ``"收货地址 "`` (trailing space, docs/rules/platforms.md#export-quirks), with a
    UTF-8 BOM glued to the first header, with full-width spaces or parentheses, or quoted twice by a
    spreadsheet round trip.
    """
    if text is None:
        return ""
    value = unicodedata.normalize("NFKC", _INVISIBLE.sub("", str(text))).strip()
    while True:
        if value.startswith('="') and value.endswith('"') and len(value) >= 3:
            value = value[2:-1].strip()
            continue
        closing = _QUOTE_PAIRS.get(value[:1])
        if closing and len(value) >= 2 and value.endswith(closing):
            value = value[1:-1].strip()
            continue
        break
    return " ".join(value.split())


# ------------------------------------------------------------------------------------------- text, ids


def _float_text(value: float) -> str:
    """An xlsx number as the text Excel shows: 12.0 → "12", 12.5 → "12.5"."""
    if value.is_integer() and abs(value) < _EXACT_FLOAT_INT:
        return str(int(value))
    return repr(value)


def _scalar_text(value: object) -> str | None:
    """Any cell value (str, xlsx number/date, Decimal) as raw text; None stays None."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return None if math.isnan(value) else _float_text(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


def _unwrap(text: str) -> str:
    """Strip, unwrap ``="…"`` (Taobao ids, docs/rules/platforms.md#taobao-order-report) and drop leading
    apostrophe text markers (a leading tab, Douyin's marker, goes with the strip)."""
    if not text.isascii() and _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    text = text.strip()
    if text.startswith('="') and text.endswith('"') and len(text) >= 3:
        text = text[2:-1].replace('""', '"').strip()
    while text[:1] == "'":  # Excel's "store as text" marker (all of them: cleaning must be idempotent)
        text = text[1:].strip()
    return text


# A text clean_text() would return unchanged: no blank at either end, no invisible character, and a first
# character that is neither a formula trigger nor a text marker.
_PLAIN_TEXT = re.compile(f"[^\\s{INVISIBLE_CHARS}='+\\-@](?:[^{INVISIBLE_CHARS}]*[^\\s{INVISIBLE_CHARS}])?")


def clean_text(value: object) -> str | None:
    """A text cell: unwrapped, stripped, empty markers → None, formulas neutralised.

    Why: Douyin ids come tab-prefixed (``"\\t6917…"``) and ``-`` means empty
    (docs/rules/platforms.md#douyin-order-export); Taobao wraps ids as ``="…"``; a text cell can carry a
    formula that must never run when ShopOps re-exports it. The result is idempotent:
    ``clean_text(clean_text(x)) == clean_text(x)``.
    """
    if type(value) is str:
        if not value:
            return None
        if _PLAIN_TEXT.fullmatch(value) and not _is_null(value):
            return value  # fast path: nothing to strip, unwrap or neutralise
    text = _scalar_text(value)
    if text is None:
        return None
    text = _unwrap(text)
    if _is_null(text):
        return None
    return neutralize_formula(text)


_SCIENTIFIC_ID = re.compile(r"\d(?:\.\d+)?[eE]\+?\d+")


def parse_id(value: object) -> str | None:
    """An identifier (order number, SKU code) as exact text.

    Refuses what cannot be the real id: an xlsx number of 16+ digits or with decimals (Excel keeps only
    15 significant digits, so an 18-digit Taobao order number stored as a number is already wrong), the
    ``3.80E+18`` that Excel writes after such a round trip, line breaks, and spreadsheet formulas.
    """
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if not value.is_integer() or abs(value) >= _EXCEL_EXACT_INT:
            raise ValueProblem(gettext_noop(
                "id %(value)s is an Excel number and has lost digits: export the column as text", value=_shown(value)))
    text = clean_text(value)
    if text is None:
        return None
    if _SCIENTIFIC_ID.fullmatch(text):
        raise ValueProblem(gettext_noop(
            "id %(value)s was turned into scientific notation by Excel; use the original export", value=_shown(text)))
    if text.startswith("'"):
        raise ValueProblem(gettext_noop("id %(value)s looks like a spreadsheet formula", value=_shown(text)))
    if "\n" in text or "\r" in text:
        raise ValueProblem(gettext_noop("id %(value)s contains a line break", value=_shown(text)))
    return text


# --------------------------------------------------------------------------------------------- numbers

_CURRENCY_PREFIXES = ("US$", "HK$", "RMB", "CNY", "USD", "¥", "$", "₹", "€", "£")
_CURRENCY_SUFFIXES = ("元", "RMB", "CNY")
_PLAIN_MONEY = re.compile(r"(-?)(\d{1,12})(?:\.(\d{1,2}))?")
_WESTERN_GROUPS = re.compile(r"\d{1,3}(?:,\d{3})+")
# ₹1,08,218.36 (docs/rules/platforms.md#amazon-business-report)
_INDIAN_GROUPS = re.compile(r"\d{1,2}(?:,\d{2})*,\d{3}")
_DIGITS = re.compile(r"(\d*)(?:\.(\d*))?")


def _numeric_text(value: str) -> str | None:
    """A numeric cell's text: unwrapped, NFKC-folded (full-width digits, ￥, （）, ，), U+2212 → ``-``."""
    text = _unwrap(value)
    if _is_null(text):
        return None
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).replace("\u2212", "-").strip()
    return text


def _split_sign(text: str) -> tuple[bool, str]:
    """Leading ``-``/``+`` or accounting parentheses ``(1,234.00)``; blanks around the sign dropped."""
    if len(text) >= 2 and text[0] == "(" and text[-1] == ")":
        return True, text[1:-1].strip()
    if text[:1] == "-":
        return True, text[1:].lstrip()
    if text[:1] == "+":
        return False, text[1:].lstrip()
    return False, text


def _ungroup(number: str, original: object) -> str:
    """Drop thousands separators after checking they group digits (western 3s or Indian 2s)."""
    if "," not in number:
        return number
    whole, dot, fraction = number.partition(".")
    if not (_WESTERN_GROUPS.fullmatch(whole) or _INDIAN_GROUPS.fullmatch(whole)):
        raise ValueProblem(gettext_noop("%(value)s has misplaced thousands separators", value=_shown(original)))
    return whole.replace(",", "") + dot + fraction


def _strip_currency(text: str) -> str:
    upper = text.upper()
    for prefix in _CURRENCY_PREFIXES:
        if upper.startswith(prefix):
            return text[len(prefix) :]
    for suffix in _CURRENCY_SUFFIXES:
        if upper.endswith(suffix):
            return text[: -len(suffix)]
    return text


def _not_money(value: object) -> ValueProblem:
    return ValueProblem(gettext_noop("%(value)s is not an amount of money", value=_shown(value)))


def _fen_from_digits(whole: str, fraction: str, negative: bool, original: object) -> int:
    if len(fraction) > 2:
        if fraction[2:].strip("0"):
            raise ValueProblem(gettext_noop("amount %(value)s has more than two decimals", value=_shown(original)))
        fraction = fraction[:2]
    whole = whole.lstrip("0") or "0"
    if len(whole) > 12 or int(whole) >= _MAX_WHOLE_YUAN:
        raise ValueProblem(gettext_noop("amount %(value)s is too large", value=_shown(original)))
    fen = int(whole) * 100 + int(fraction.ljust(2, "0"))
    return -fen if negative else fen


def parse_money_fen(value: object, *, allow_negative: bool = True) -> int | None:
    """An amount of money in integer fen; currency symbols, separators, full-width digits accepted.

    Accepts ``¥1,234.50``, ``￥１２.５``, ``RMB 12``, ``12元``, ``$1,937.41``, ``₹1,08,218.36``
    (docs/rules/platforms.md#export-quirks), ``-5.00``, ``(5.00)``, ``¥-5``. More than two decimals is an
    error unless they are zeros (module doc).
    """
    if value is None:
        return None
    if isinstance(value, str):
        plain = _PLAIN_MONEY.fullmatch(value)  # fast path: most cells are already "123.45"
        if plain:
            sign, whole, fraction = plain.groups()
            fen = int(whole) * 100 + (int(fraction) * (10 if len(fraction) == 1 else 1) if fraction else 0)
            fen = -fen if sign else fen
        else:
            fen = _parse_money_text(value)
    elif isinstance(value, bool):
        raise _not_money(value)
    elif isinstance(value, int):
        if abs(value) >= _MAX_WHOLE_YUAN:
            raise ValueProblem(gettext_noop("amount %(value)s is too large", value=_shown(value)))
        fen = value * 100
    elif isinstance(value, float):
        fen = _money_from_float(value)
    elif isinstance(value, Decimal):
        fen = _money_from_decimal(value, value)
    else:
        raise _not_money(value)
    if fen is not None and fen < 0 and not allow_negative:
        raise ValueProblem(gettext_noop("amount %(value)s must not be negative", value=_shown(value)))
    return fen


def _parse_money_text(value: str) -> int | None:
    text = _numeric_text(value)
    if text is None:
        return None
    negative, text = _split_sign(text)
    text = _strip_currency(text).strip()
    if text[:1] in ("+", "-") and not negative:  # "¥-5.00"
        negative, text = text[0] == "-", text[1:].lstrip()
    text = _ungroup(text, value)
    match = _DIGITS.fullmatch(text)
    if not text or not match or not (match.group(1) or match.group(2)):
        raise _not_money(value)
    return _fen_from_digits(match.group(1) or "0", match.group(2) or "", negative, value)


def _money_from_decimal(amount: Decimal, original: object) -> int:
    if not amount.is_finite():
        raise _not_money(original)
    sign, digits, exponent = amount.as_tuple()
    text = "".join(map(str, digits))
    if exponent >= 0:
        whole, fraction = text + "0" * exponent, ""
    else:
        whole, fraction = text[:exponent] or "0", text[exponent:].rjust(-exponent, "0")
    return _fen_from_digits(whole, fraction, bool(sign), original)


def _money_from_float(value: float) -> int:
    """An xlsx number read as Excel displays it (15 significant digits), which drops binary noise
    such as ``0.30000000000000004`` but keeps a real third decimal (``12.345`` is still refused)."""
    if not math.isfinite(value):
        raise _not_money(value)
    return _money_from_decimal(Decimal(format(value, ".15g")), value)


def _not_integer(value: object) -> ValueProblem:
    return ValueProblem(gettext_noop("%(value)s is not a whole number", value=_shown(value)))


def parse_int(value: object) -> int | None:
    """A whole number: ``1,128``, full-width digits, ``12.0``, xlsx floats without decimals."""
    if value is None:
        return None
    if isinstance(value, str):
        if value.isascii() and value.isdigit():
            return int(value)
        return _parse_int_text(value)
    if isinstance(value, bool):
        raise _not_integer(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if not value.is_integer() or abs(value) >= _EXACT_FLOAT_INT:
            raise _not_integer(value)
        return int(value)
    if isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            raise _not_integer(value)
        return int(value)
    raise _not_integer(value)


def _parse_int_text(value: str) -> int | None:
    text = _numeric_text(value)
    if text is None:
        return None
    negative, text = _split_sign(text)
    text = _ungroup(text, value)
    match = _DIGITS.fullmatch(text)
    if not match or not match.group(1) or (match.group(2) or "").strip("0"):
        raise _not_integer(value)
    number = int(match.group(1))
    return -number if negative else number


def parse_rate(value: object) -> float | None:
    """A rate as a fraction: ``"18.53%"`` → 0.1853, ``"3‰"`` → 0.003, ``"0.1853"`` stays 0.1853.

    Computed in Decimal and converted once, so ``18.53%`` is exactly ``float("0.1853")``. The range is
    the caller's business (an ROI of 3.2 is not a rate but uses the same reader).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueProblem(gettext_noop("%(value)s is not a rate", value=_shown(value)))
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        return float(value)
    text = _numeric_text(str(value))
    if text is None:
        return None
    scale = 1
    if text.endswith("%"):
        scale, text = 100, text[:-1].rstrip()
    elif text.endswith("‰"):
        scale, text = 1000, text[:-1].rstrip()
    negative, text = _split_sign(text)
    text = _ungroup(text, value)
    try:
        number = Decimal(text) if _DIGITS.fullmatch(text) and text.strip(".") else None
    except InvalidOperation:
        number = None
    if number is None:
        raise ValueProblem(gettext_noop("%(value)s is not a rate", value=_shown(value)))
    number /= scale
    return float(-number if negative else number)


# ------------------------------------------------------------------------------------------ date, time

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001 - the 1900 date system, wall time
_EXCEL_MAX_SERIAL = 2958466  # 9999-12-31
PLAUSIBLE_YEARS = (1900, 2200)  # a date outside is a typo or a sentinel, not an order
_MIN_YEAR, _MAX_YEAR = PLAUSIBLE_YEARS
_ZERO_DATES = frozenset({"0000-00-00", "0000-00-00 00:00:00", "0000/00/00", "00000000"})
_DATETIME_TEXT = re.compile(
    r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:(?:T|\s+)(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})秒?(?:[.,](\d{1,9}))?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone: {name!r}") from exc


def _bad_date(value: object) -> ValueProblem:
    return ValueProblem(gettext_noop("%(value)s is not a valid date/time", value=_shown(value)))


def _checked(moment: dt.datetime, value: object) -> dt.datetime:
    if not _MIN_YEAR <= moment.year <= _MAX_YEAR:
        raise ValueProblem(gettext_noop("date %(value)s has an implausible year", value=_shown(value)))
    return moment


_COMPACT_SPLIT = re.compile(r"(\d{8})[T\s](\d{4}|\d{6})")
_COMPACT_FIELDS = ((0, 4), (4, 6), (6, 8), (8, 10), (10, 12), (12, 14))


def _from_digits(digits: str, value: object) -> dt.datetime:
    """All-digit text: ``YYYYMMDD[HHMM[SS]]``, epoch seconds (9–10 digits, Tianchi UserBehavior) or
    milliseconds (13, APIs) in UTC, or a five-digit Excel serial day. Anything else is refused."""
    if len(digits) in (8, 12, 14):
        fields = [int(digits[a:b]) for a, b in _COMPACT_FIELDS[: len(digits) // 2 - 1]]
        try:
            return _checked(dt.datetime(*fields), value)  # noqa: DTZ001 - wall time, zone applied by caller
        except ValueError as exc:
            raise _bad_date(value) from exc
    if len(digits) in (9, 10, 13):
        seconds = int(digits) / 1000 if len(digits) == 13 else int(digits)
        return _checked(dt.datetime.fromtimestamp(seconds, dt.UTC), value)
    if len(digits) == 5:
        return _from_serial(int(digits), value)
    raise _bad_date(value)


def _from_serial(days: float, value: object) -> dt.datetime:
    """An Excel serial day (1900 system), rounded to the second: serials carry float noise."""
    if not 1 <= days < _EXCEL_MAX_SERIAL:
        raise _bad_date(value)
    return _checked(_EXCEL_EPOCH + dt.timedelta(seconds=round(days * 86400)), value)


def _parse_text_datetime(value: str) -> dt.datetime | None:
    """Text → naive local or aware datetime; None for empty markers."""
    text = _unwrap(value)
    if _is_null(text) or text in _ZERO_DATES:
        return None
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).replace("\u2212", "-")
    if text.isdigit():
        return _from_digits(text, value)
    compact = _COMPACT_SPLIT.fullmatch(text)
    if compact:  # "20261111 000503"
        return _from_digits(compact.group(1) + compact.group(2), value)
    whole, dot, fraction = text.partition(".")
    if dot and len(whole) == 5 and whole.isdigit() and fraction.isdigit():  # Excel serial as text
        return _from_serial(float(text), value)
    match = _DATETIME_TEXT.fullmatch(text)
    if not match:
        raise _bad_date(value)
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        moment = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),  # noqa: DTZ001
                             int(second or 0), micro)
    except ValueError as exc:
        raise _bad_date(value) from exc
    if zone:
        moment = moment.replace(tzinfo=_offset(zone))
    return _checked(moment, value)


def _offset(zone: str) -> dt.tzinfo:
    if zone.upper() in ("Z", "UTC", "GMT"):
        return dt.UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _local_or_aware(value: object) -> dt.datetime | None:
    """Any cell → naive (local wall time) or aware datetime; None when empty."""
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) == 19 and value[4] == "-" and value[10] == " ":  # fast path: "2026-11-11 00:05:03"
            try:
                return _checked(dt.datetime.fromisoformat(value), value)
            except ValueError:
                pass
        return _parse_text_datetime(value)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)  # noqa: DTZ001
    if isinstance(value, bool):
        raise _bad_date(value)
    if isinstance(value, int):
        return _from_digits(str(value), value) if value >= 0 else _from_serial(value, value)
    if isinstance(value, float):  # an xlsx number in a date column: a serial day, or epoch seconds
        if math.isnan(value):
            return None
        if value >= 1e8 and value.is_integer():
            return _from_digits(str(int(value)), value)
        return _from_serial(value, value)
    raise _bad_date(value)


def parse_datetime(value: object, tz: str = DEFAULT_TZ) -> dt.datetime | None:
    """A moment as an aware UTC datetime; naive values are wall time in ``tz`` (the shop's zone).

    Formats seen in exports: ``2026-11-11 00:05:03``, ``2026/11/11 0:05``, ``2026-11-11T00:05:03+08:00``,
    Shopify's ``2026-11-11 00:05:03 +0800`` (docs/rules/platforms.md#shopify-order-export),
    ``2026年11月11日 00:05``, ``20261111 000503``, ``20261111``, dates alone (midnight), Excel serial numbers,
    epoch seconds (10 digits, Tianchi UserBehavior) or milliseconds (13 digits). ``0000-00-00 00:00:00`` is
    empty.
    """
    moment = _local_or_aware(value)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_zone(tz))
    return moment.astimezone(dt.UTC)


def parse_date(value: object, tz: str = DEFAULT_TZ) -> dt.date | None:
    """A business date (a local date in ``tz``); a value with a time keeps its local calendar day."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    moment = _local_or_aware(value)
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(_zone(tz))
    return moment.date()
