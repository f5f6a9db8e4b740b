"""Small hand-checked behaviour logs shared by the funnel/paths/retention tests and the conformance tests."""

from __future__ import annotations

import datetime as dt

UTC = dt.UTC
DAY = dt.date(2026, 11, 1)


def at(hour: int, minute: int = 0, second: int = 0, *, day: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 1, hour, minute, second, tzinfo=UTC) + dt.timedelta(days=day)


def events(rows: list[tuple]) -> dict:
    """rows: (user, ts, behavior[, channel[, session_id]]) → the ``events`` table as columns."""
    cols: dict[str, list] = {"user_id": [], "ts": [], "date": [], "behavior": [], "channel": [], "session_id": []}
    for row in rows:
        user, ts, behavior, *rest = row
        cols["user_id"].append(user)
        cols["ts"].append(ts)
        cols["date"].append(ts.date())  # the test shop runs in UTC: local date = UTC date
        cols["behavior"].append(behavior)
        cols["channel"].append(rest[0] if rest else "web")
        cols["session_id"].append(rest[1] if len(rest) > 1 else "")
    return {"events": cols}


# Funnel pv → cart → buy, window 1 day, all on 2026-11-01/02:
FUNNEL_ROWS = [
    # a: the whole funnel, then buys a second time — counted once
    ("a", at(1), "pv"), ("a", at(2), "cart"), ("a", at(3), "buy"), ("a", at(4), "buy"),
    # b: skips the cart — step 1 only (sequential, strict); 2 of 3 steps (any)
    ("b", at(1), "pv"), ("b", at(2), "buy"),
    # c: pv cart pv buy — sequential 3, strict 2 (a pv between cart and buy)
    ("c", at(1), "pv"), ("c", at(2), "cart"), ("c", at(3), "pv"), ("c", at(4), "buy"),
    # d: the steps backwards — sequential/strict 1 (pv is last), any 3
    ("d", at(1), "cart"), ("d", at(2), "buy"), ("d", at(3), "pv"),
    # e: cart and buy more than a day after the pv — out of the window: step 1 only; any: cart+buy = 2
    ("e", at(1), "pv"), ("e", at(2, day=1), "cart"), ("e", at(3, day=1), "buy"),
    # f: a fav (not a funnel event) between the steps does not break even the strict funnel
    ("f", at(1), "pv", "app"), ("f", at(1, 30), "fav", "app"), ("f", at(2), "cart", "app"), ("f", at(3), "buy", "app"),
    # g: a second attempt succeeds: pv (day 0) … pv cart buy (day 1) — full funnel
    ("g", at(1), "pv"), ("g", at(9, day=1), "pv"), ("g", at(10, day=1), "cart"), ("g", at(11, day=1), "buy"),
    # h: cart and pv at the same instant: steps at equal timestamps count in step order — full funnel
    ("h", at(5), "cart"), ("h", at(5), "pv"), ("h", at(6), "buy"),
    # i: only a cart — never entered the funnel
    ("i", at(5), "cart"),
]
EXPECTED = {  # people at steps 1, 2, 3
    "sequential": [8, 5, 5],  # a b c d e f g h | a c f g h | a c f g h
    "strict": [8, 5, 4],      # c stops at step 2 (a pv between cart and buy)
    "any": [9, 8, 6],         # i (cart only) counts at step 1; b and e did 2 of the steps; a c d f g h all 3
}

# Paths: u1 has no session ids (split after 30 idle minutes); u2 has logged session ids.
PATH_ROWS = [
    # u1 session 1: pv pv cart (29:59 idle before cart: same session); then exactly 30 idle minutes → session 2
    ("u1", at(10, 0), "pv"), ("u1", at(10, 1), "pv"), ("u1", at(10, 30, 59), "cart"),
    ("u1", at(11, 0, 59), "buy"),  # 30:00 after the cart: a new session "buy"
    ("u1", at(11, 10), "pv"),      # same session as that buy: buy → pv
    # u2: logged session s1 with a 2-hour gap inside (kept whole), and s2
    ("u2", at(9), "pv", "web", "s1"), ("u2", at(11), "cart", "web", "s1"), ("u2", at(11, 5), "buy", "web", "s1"),
    ("u2", at(12), "pv", "web", "s2"), ("u2", at(12, 1), "cart", "web", "s2"), ("u2", at(12, 2), "buy", "web", "s2"),
    # u3: pv fav pv cart buy pv — six steps, the path keeps the first five
    ("u3", at(8), "pv"), ("u3", at(8, 1), "fav"), ("u3", at(8, 2), "pv"), ("u3", at(8, 3), "cart"),
    ("u3", at(8, 4), "buy"), ("u3", at(8, 5), "pv"),
]

# Retention, weekly: 2026-11-02 and 2026-11-09 are Mondays.
def on(month_day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 11, month_day, hour, tzinfo=UTC)


RETENTION_ROWS = [
    ("old", on(1), "pv"), ("old", on(3), "pv"),                       # first seen before the range: no cohort
    ("r1", on(2), "pv"), ("r1", on(4), "buy"), ("r1", on(10), "pv"), ("r1", on(17), "buy"),  # week 0, 1, 2
    ("r2", on(8), "pv"), ("r2", on(16), "pv"),                        # Sunday: week of 11-02; active week 2
    ("r3", on(3), "pv"), ("r3", on(3, 11), "pv"),                     # week 0 only (day 0 only)
    ("r4", on(9), "cart"), ("r4", on(10), "buy"), ("r4", on(11), "buy"),  # cohort of 11-09: weeks 0
]
