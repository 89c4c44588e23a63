"""A note is its sentence (prints, compares, goes into JSON as a str) and carries its code
and count-free gist through pickling (Dask, search processes)."""

from __future__ import annotations

import json
import pickle

from geodata.notes import Note, TravelNoteCode, code_of, gist_of


def test_a_note_is_its_sentence_with_a_code():
    n = Note("ESTIMATED: 3 of 9 cells", TravelNoteCode.ESTIMATED, gist="ESTIMATED: some cells")
    assert n == "ESTIMATED: 3 of 9 cells" and isinstance(n, str)
    assert json.dumps({"notes": [n]}) == '{"notes": ["ESTIMATED: 3 of 9 cells"]}'
    assert (code_of(n), gist_of(n)) == ("estimated", "ESTIMATED: some cells")
    assert (code_of("plain"), gist_of("plain")) == (None, "plain")
    assert Note("routed", TravelNoteCode.ROUTED).gist == "routed"


def test_a_note_keeps_its_code_and_gist_through_pickle():
    n = Note("3 of 9", TravelNoteCode.ESTIMATED, gist="some")
    back = pickle.loads(pickle.dumps([n], protocol=5))[0]
    assert (back, back.code, back.gist) == ("3 of 9", TravelNoteCode.ESTIMATED, "some")
    assert type(back) is Note
