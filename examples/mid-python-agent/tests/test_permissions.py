from agent.permissions import check_permission


def test_secrets_are_denied_even_in_subfolders():
    assert check_permission("read_file", {"path": ".env"}).decision == "deny"
    assert check_permission("read_file", {"path": "config/.env.production"}).decision == "deny"
    assert check_permission("read_file", {"path": "certs/server.pem"}).decision == "deny"


def test_reads_are_allowed():
    verdict = check_permission("read_file", {"path": "src/app.py"})
    assert verdict.decision == "allow"


def test_writes_and_commands_need_a_yes():
    assert check_permission("write_file", {"path": "src/app.py", "content": ""}).decision == "ask"
    assert check_permission("run_command", {"command": "pytest -q"}).decision == "ask"


def test_deny_beats_ask():
    assert check_permission("run_command", {"command": "git push origin main"}).decision == "deny"
    assert check_permission("write_file", {"path": ".git/config", "content": ""}).decision == "deny"


def test_unknown_tools_are_denied():
    assert check_permission("delete_everything", {}).decision == "deny"
