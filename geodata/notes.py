"""Notes on where travel numbers come from: each a sentence for users with a stable code.

A ``Note`` *is* its sentence (a ``str``), so every list of notes prints, compares and goes
into JSON as before; it also carries ``code`` (a ``StrEnum`` member: what the note says,
for programs) and ``gist`` (the same sentence with its counts taken out, so the notes of
many plans can be summed without reading the words).
"""

from __future__ import annotations

from enum import StrEnum


class TravelNoteCode(StrEnum):
    """What a travel matrix's note says (``geodata/matrix.py``)."""

    ROUTED = "routed"  # the mode was routed on a named road network at free-flow speeds
    NETWORK_DERIVED = "network_derived"  # the network's own caveat: its graph was derived
    ESTIMATED = "estimated"  # some cells (or km) are straight-line estimates, with why


class Note(str):
    """A note's sentence (the ``str`` itself), its ``code`` and its count-free ``gist``."""

    code: StrEnum
    gist: str

    def __new__(cls, text: str, code: StrEnum, gist: str | None = None) -> Note:
        note = super().__new__(cls, text)
        note.code = code
        note.gist = text if gist is None else gist
        return note

    def __reduce__(self) -> tuple:
        # pickled (Dask, search processes) with its code and gist, not as a bare str
        return (Note, (str(self), self.code, self.gist))


def code_of(note: str) -> str | None:
    """The note's code as a string (``None`` for a plain sentence with no code)."""
    code = getattr(note, "code", None)
    return None if code is None else str(code)


def gist_of(note: str) -> str:
    """The note's count-free gist (a plain sentence is its own gist)."""
    return getattr(note, "gist", note)
