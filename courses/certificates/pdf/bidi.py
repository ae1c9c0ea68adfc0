"""Right-to-left text in visual order: the implicit rules of the Unicode
bidirectional algorithm (UAX #9), enough for names and course titles.

HarfBuzz shapes each run in logical order, so the layout needs every
character's embedding level, not a reordered string. python-bidi's maintained
(Rust) API returns only the reordered string, so it cannot replace this; the
tests check these levels against it instead (tests/courses/certificates/).
"""

import unicodedata

_NEUTRAL = {"B", "S", "WS", "ON", "BN"}
MIRROR = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")


def base_level(text: str) -> int:
    """P2-P3: the first strong character sets the direction; 0 (LTR) if none."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return 0
        if kind in ("R", "AL"):
            return 1
    return 0


def bidi_levels(text: str, base: int) -> list[int]:
    """Embedding levels from the implicit rules of UAX #9 (W1-W7, N1-N2, I1-I2).

    ``clean`` has removed explicit embeddings, overrides and isolates, so no
    X rules are needed. Bracket pairs (N0) are not matched: a bracket takes the
    direction of the text around it, which is enough for names and titles.
    """
    sos = "R" if base else "L"
    types = [unicodedata.bidirectional(ch) or "L" for ch in text]
    n = len(types)
    last = sos
    for i, kind in enumerate(types):
        if kind == "NSM":  # W1
            types[i] = last
        last = types[i]
    last = sos
    for i, kind in enumerate(types):  # W2, W3
        if kind in ("L", "R", "AL"):
            last = kind
        elif kind == "EN" and last == "AL":
            types[i] = "AN"
    types = ["R" if kind == "AL" else kind for kind in types]
    for i in range(1, n - 1):  # W4
        before, kind, after = types[i - 1], types[i], types[i + 1]
        if kind == "ES" and before == after == "EN":
            types[i] = "EN"
        elif kind == "CS" and before == after and before in ("EN", "AN"):
            types[i] = before
    i = 0
    while i < n:  # W5
        if types[i] != "ET":
            i += 1
            continue
        j = i
        while j < n and types[j] == "ET":
            j += 1
        if (i > 0 and types[i - 1] == "EN") or (j < n and types[j] == "EN"):
            types[i:j] = ["EN"] * (j - i)
        i = j
    types = ["ON" if kind in ("ES", "ET", "CS") else kind for kind in types]  # W6
    last = sos
    for i, kind in enumerate(types):  # W7
        if kind in ("L", "R"):
            last = kind
        elif kind == "EN" and last == "L":
            types[i] = "L"
    i = 0
    while i < n:  # N1, N2
        if types[i] not in _NEUTRAL:
            i += 1
            continue
        j = i
        while j < n and types[j] in _NEUTRAL:
            j += 1
        before = sos if i == 0 else types[i - 1]
        after = sos if j == n else types[j]
        before = "R" if before in ("EN", "AN") else before
        after = "R" if after in ("EN", "AN") else after
        types[i:j] = [before if before == after else sos] * (j - i)
        i = j
    if base == 0:  # I1
        return [0 if kind == "L" else 1 if kind == "R" else 2 for kind in types]
    return [1 if kind == "R" else 2 for kind in types]  # I2
