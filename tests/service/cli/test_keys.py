"""``carerun keys``: a key is shown once at creation, listed by id and scopes only, revoked
by id; revoking it again is one line and exit 1."""

from __future__ import annotations

from service.cli import main


def test_create_list_revoke(tmp_path, capsys, error_line):
    db = ["--database", f"sqlite:///{tmp_path / 'keys.db'}"]
    assert main(["keys", "create", "--scope", "planner", "--label", "test", *db]) == 0
    key = capsys.readouterr().out.strip()
    key_id = key.split(".")[0]
    assert key_id and key != key_id
    assert main(["keys", "list", *db]) == 0
    listed = capsys.readouterr().out
    # id, scopes, state, owner (the key is its own organisation by default), label
    assert listed.split() == [key_id, "planner", "active", key_id, "test"] and key not in listed
    assert main(["keys", "revoke", key_id, *db]) == 0
    assert f"revoked {key_id}" in capsys.readouterr().out
    assert main(["keys", "revoke", key_id, *db]) == 1
    assert error_line(capsys) == f"carerun: error: key {key_id}: not found or already revoked"


def test_an_unknown_scope_is_one_line(tmp_path, capsys, error_line):
    db = ["--database", f"sqlite:///{tmp_path / 'keys.db'}"]
    assert main(["keys", "create", "--scope", "everything", *db]) == 1
    assert "everything" in error_line(capsys)
