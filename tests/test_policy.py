"""Right of reply and sign-off, checked: a reply's own pointers are errors wherever they are wrong; site.yaml's
``policy:`` makes its breaches warnings of their own kinds, which ``check --strict`` fails on at the line that
needs the fix; a sign-off by someone not on the staff is an error; ``check --report`` says what is left to do
before publication. Each fixture site is checked with the real ``build.py``."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from conftest import BASE, make_site, run_build

from casefile.content.loader import load_site
from casefile.content.review import review_digest
from casefile.diagnostics import Diagnostics

POLICY = """\
staff: [Anna Editor, Ben Checker]
policy:
  reply_required_for: [person, company]
  min_origins: 2
  review_required: true
"""

TWO = "[moscow-times-2021, myanmar-now-2021]"  # two independent origins
ACTORS = {
    "content/actors/rosoboronexport.yaml": "name: Rosoboronexport\nkind: company\nsources: [moscow-times-2021]\n",
    "content/actors/ye-win-oo.yaml": "name: Ye Win Oo\nkind: person\nsources: [moscow-times-2021]\n",
}


def problems(stderr: str, severity: str = "error") -> dict[str, list[str]]:
    """location → the messages reported there with ``severity``."""
    found: dict[str, list[str]] = {}
    for match in re.finditer(rf"^(\S+:\d+:\d+): {severity}: (.*)$", stderr, re.MULTILINE):
        found.setdefault(match.group(1), []).append(match.group(2))
    return found


def hint_after(stderr: str, message: str) -> str:
    """The hint printed under the first problem whose line holds ``message``."""
    lines = stderr.splitlines()
    index = next(i for i, line in enumerate(lines) if message in line)
    return lines[index + 1].removeprefix("    hint: ")


def check(site: Path, *args: str) -> tuple[int, str]:
    result = run_build(site, "check", *args)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr


# --------------------------------------------------------------------------------------------
# A reply's own pointers: errors, with or without a policy
# --------------------------------------------------------------------------------------------

REFERENCE_DEAL = f"""\
title: Helicopter deal
kind: contract
parties:
  - actor: rosoboronexport
    role: seller
    sources: {TWO}
claims:
  - text: The helicopters were paid for in 2020.
    id: paid
    sources: [moscow-times-2021]
  - text: The price was never published.
    id: paid
    sources: [moscow-times-2021]
replies:
  - asked: 2021-07-01
    via: email
    response: none
  - from: rosoboronexprot
    asked: 2021-07-01
    via: email
    response: declined
    answers: [payd]
  - from: [rosoboronexport, moscow-times-2021]
    response: no-comment-reported
    sources: [moscow-times-2021]
  - response: no-comment-reported
    sources: [moscow-times-2021]
sources: [moscow-times-2021]
"""


@pytest.fixture(scope="module")
def reference_errors(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str]:
    site = make_site(
        tmp_path_factory.mktemp("replies") / "site", BASE | ACTORS | {"content/deals/heli.yaml": REFERENCE_DEAL}
    )
    return check(site)


def test_a_reply_from_an_unknown_actor_is_an_error_with_a_did_you_mean(reference_errors: tuple[int, str]) -> None:
    """The id walk that checks every id finds `from:` inside a reply as well."""
    status, stderr = reference_errors
    assert status == 1
    assert problems(stderr)["content/deals/heli.yaml:18:11"] == ["unknown actor 'rosoboronexprot'"]
    assert hint_after(stderr, "unknown actor 'rosoboronexprot'") == "did you mean 'rosoboronexport'?"


def test_a_reply_from_a_dossier_that_is_no_actor_is_an_error(reference_errors: tuple[int, str]) -> None:
    _, stderr = reference_errors
    assert problems(stderr)["content/deals/heli.yaml:23:29"] == ["'moscow-times-2021' is a source, not an actor"]


def test_a_reply_on_a_deal_names_who_was_asked(reference_errors: tuple[int, str]) -> None:
    _, stderr = reference_errors
    found = problems(stderr)
    assert found["content/deals/heli.yaml:15:5"] == ["a reply on a deal names who was asked: add `from:`"]
    assert "`from: rosoboronexport`" in hint_after(stderr, "a reply on a deal names who was asked")
    assert found["content/deals/heli.yaml:26:5"] == ["a reply on a deal names who has not commented: add `from:`"]


def test_answers_name_a_claim_of_the_same_dossier_by_its_id(reference_errors: tuple[int, str]) -> None:
    _, stderr = reference_errors
    assert problems(stderr)["content/deals/heli.yaml:22:15"] == ["'payd' is not the id of a claim of 'heli'"]
    assert hint_after(stderr, "'payd' is not the id") == "did you mean 'paid'?"


def test_claim_ids_are_unique_in_a_dossier(reference_errors: tuple[int, str]) -> None:
    _, stderr = reference_errors
    assert problems(stderr)["content/deals/heli.yaml:12:9"] == ["two claims of 'heli' have the id 'paid'"]
    assert "the claim at line 9" in hint_after(stderr, "two claims of 'heli'")


def test_a_reply_on_an_actor_needs_no_from_and_answers_its_own_claims(tmp_path: Path) -> None:
    actor = (
        "name: Ye Win Oo\nkind: person\nsources: [moscow-times-2021]\nclaims:\n  - text: He signed.\n    id: signed\n"
        "    sources: [moscow-times-2021]\nreplies:\n  - asked: 2021-07-01\n    via: letter\n    response: answered\n"
        "    text: He did not sign.\n    answers: [signed]\n"
    )
    site = make_site(tmp_path / "site", BASE | {"content/actors/ye-win-oo.yaml": actor})
    status, stderr = check(site)
    assert status == 0, stderr
    assert not problems(stderr), stderr


# --------------------------------------------------------------------------------------------
# The policy: warnings, and under --strict errors, each at its line
# --------------------------------------------------------------------------------------------

POLICY_DEAL = f"""\
title: Helicopter deal
kind: contract
parties:
  - actor: rosoboronexport
    role: seller
    sources: {TWO}
  - actor: tatmadaw
    role: buyer
    sources: {TWO}
claims:
  - text: "[[ye-win-oo]] signed for the buyer."
    sources: {TWO}
  - text: The contract was signed in Moscow.
    confidence: reported
    sources: [moscow-times-2021]
  - text: The price was never published.
    sources: [moscow-times-2021]
replies:
  - from: ye-win-oo
    response: no-comment-reported
    sources: [moscow-times-2021]
sources: [moscow-times-2021]
"""
ASKED_ON_HIS_OWN_DOSSIER = """\
replies:
  - asked: 2021-07-01
    via: email
    deadline: 2021-07-05
    response: none
"""
SIGNED_BY_A_STRANGER = """\
reviewed:
  - by: Ana Editor
    on: 2021-07-01
    digest: 0123456789abcdef0123456789abcdef
"""
POLICY_SITE = (
    BASE
    | ACTORS
    | {
        "site.yaml": BASE["site.yaml"] + POLICY,
        "content/deals/heli.yaml": POLICY_DEAL,
        "content/actors/min-aung-hlaing.yaml": BASE["content/actors/min-aung-hlaing.yaml"] + ASKED_ON_HIS_OWN_DOSSIER,
        "content/actors/russia.yaml": BASE["content/actors/russia.yaml"] + SIGNED_BY_A_STRANGER,
    }
)


@pytest.fixture(scope="module")
def policy_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_site(tmp_path_factory.mktemp("policy") / "site", POLICY_SITE)


@pytest.fixture(scope="module")
def strict(policy_site: Path) -> tuple[int, str]:
    return check(policy_site, "--strict")


@pytest.fixture(scope="module")
def lenient(policy_site: Path) -> tuple[int, str]:
    return check(policy_site)


def test_a_company_named_as_a_party_with_no_request_on_record_fails_strict_at_its_line(
    strict: tuple[int, str],
) -> None:
    status, stderr = strict
    assert status == 1
    message = "'rosoboronexport' (company) is named here as a party, and no request for comment to them is on record"
    assert problems(stderr)["content/deals/heli.yaml:4:12"] == [f"{message} [reply-missing]"]
    hint = hint_after(stderr, message)
    assert "ask Rosoboronexport" in hint
    assert "record it under `replies:` in content/actors/rosoboronexport.yaml" in hint
    assert "or in this dossier with `from: rosoboronexport`" in hint


def test_a_report_that_a_person_has_not_commented_is_no_request(strict: tuple[int, str]) -> None:
    """Ye Win Oo, linked in a claim, has only `no-comment-reported` on record: the hint says why that is not enough."""
    _, stderr = strict
    message = "'ye-win-oo' (person) is named here in a claim, and no request for comment to them is on record"
    assert problems(stderr)["content/deals/heli.yaml:11:11"] == [f"{message} [reply-missing]"]
    assert "(`response: no-comment-reported`) records no request, so it does not count" in hint_after(stderr, message)


def test_a_request_on_record_or_a_kind_the_policy_leaves_out_is_not_reported(strict: tuple[int, str]) -> None:
    """Min Aung Hlaing was asked (on his own dossier, `from:` left out); the Tatmadaw and Russia are no person or
    company."""
    _, stderr = strict
    assert "'min-aung-hlaing' (person)" not in stderr
    assert "'tatmadaw' (" not in stderr and "'russia' (" not in stderr
    assert stderr.count("[reply-missing]") == 2


def test_an_unsigned_dossier_fails_strict_at_the_top_of_its_file(strict: tuple[int, str]) -> None:
    _, stderr = strict
    found = problems(stderr)
    assert found["content/deals/heli.yaml:1:1"] == ["'heli' has not been signed off [review-missing]"]
    assert found["content/pages/method.md:2:1"] == ["'method' has not been signed off [review-missing]"]
    assert "run `casefile review heli --by NAME`" in hint_after(stderr, "'heli' has not been signed off")


def test_a_sign_off_by_someone_not_on_the_staff_is_an_error_with_a_did_you_mean(
    strict: tuple[int, str], lenient: tuple[int, str]
) -> None:
    for status, stderr in (strict, lenient):
        assert status == 1
        message = "the sign-off is by 'Ana Editor', who is not on the staff in site.yaml"
        assert problems(stderr)["content/actors/russia.yaml:6:9"] == [message]
        assert hint_after(stderr, message) == "did you mean 'Anna Editor'?"


def test_a_dossier_whose_digest_differs_is_changed_since_review_at_its_reviewed_line(strict: tuple[int, str]) -> None:
    _, stderr = strict
    message = "'russia' changed since review on 1 July 2021 by Ana Editor [review-stale]"
    assert problems(stderr)["content/actors/russia.yaml:5:1"] == [message]


def test_a_fact_on_fewer_origins_than_the_policy_needs_a_confidence(strict: tuple[int, str]) -> None:
    """One origin and no `confidence:`: reported. Two origins, a `confidence:`, or values the reports disagree on
    (the base deal's two prices): not."""
    _, stderr = strict
    found = problems(stderr)
    message = (
        "the claim 'The price was never published.' rests on 1 independent origin (The Moscow Times), fewer than "
        "the 2 the policy in site.yaml asks for [too-few-origins]"
    )
    assert found["content/deals/heli.yaml:16:5"] == [message]
    assert "`confidence:`" in hint_after(stderr, "'The price was never published.' rests on")
    assert "content/deals/heli.yaml:13:5" not in found, "a confidence says how sure the reporting is"
    assert "content/deals/heli.yaml:4:5" not in found, "two independent origins"
    assert "content/deals/pantsir-contract.yaml:20:5" not in found, "the reports disagree on it: marked so"
    assert "content/deals/pantsir-contract.yaml:12:5" in found, "the item beside it rests on one origin"


def test_without_strict_the_policy_warns(policy_site: Path) -> None:
    """Without the staff error, `check` passes and lists the breaches as warnings of their kinds."""
    make_site(
        policy_site.parent / "lenient", POLICY_SITE | {"content/actors/russia.yaml": BASE["content/actors/russia.yaml"]}
    )
    status, stderr = check(policy_site.parent / "lenient")
    assert status == 0, stderr
    warned = problems(stderr, "warning")
    assert warned["content/deals/heli.yaml:4:12"][0].endswith("[reply-missing]")
    assert warned["content/deals/heli.yaml:1:1"] == ["'heli' has not been signed off [review-missing]"]
    assert re.search(
        r"0 error\(s\), \d+ warning\(s\) — \d+ review-missing, \d+ too-few-origins, 2 reply-missing", stderr
    )


# --------------------------------------------------------------------------------------------
# Sign-off: a reviewed dossier passes until it is edited
# --------------------------------------------------------------------------------------------


def sign_everything(site: Path, by: str, on: str) -> None:
    """A sign-off of every dossier as it stands, written as `casefile review` writes one."""
    diagnostics = Diagnostics()
    loaded = load_site(site, diagnostics)
    assert not diagnostics.problems, [p.format() for p in diagnostics.problems]
    for dossier in loaded.dossiers:
        entry = f"reviewed:\n  - by: {by}\n    on: {on}\n    digest: {review_digest(dossier)}\n"
        text = dossier.path.read_text(encoding="utf-8")
        if dossier.path.suffix == ".md":  # in the front matter
            head, _, rest = text.partition("\n---\n")
            text = f"{head}\n{entry}---\n{rest}"
        else:
            text += entry
        dossier.path.write_text(text, encoding="utf-8")


def test_editing_a_reviewed_dossier_flips_it_to_changed_since_review(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "site",
        BASE | {"site.yaml": BASE["site.yaml"] + "staff: [Anna Editor]\npolicy:\n  review_required: true\n"},
    )
    sign_everything(site, "Anna Editor", "2021-07-01")
    status, stderr = check(site, "--strict")
    assert status == 0, stderr

    visit = site / "content/events/naval-visit.yaml"
    visit.write_text(visit.read_text(encoding="utf-8").replace("Naypyitaw and Yangon", "Naypyitaw"), encoding="utf-8")
    status, stderr = check(site, "--strict")
    assert status == 1
    reviewed_line = visit.read_text(encoding="utf-8").splitlines().index("reviewed:") + 1
    assert problems(stderr) == {
        f"content/events/naval-visit.yaml:{reviewed_line}:1": [
            "'naval-visit' changed since review on 1 July 2021 by Anna Editor [review-stale]"
        ]
    }
    assert "sign off again with `casefile review naval-visit --by NAME`" in stderr
    assert "1 error(s), 0 warning(s) — 1 review-stale" in stderr


# --------------------------------------------------------------------------------------------
# check --report: before publication
# --------------------------------------------------------------------------------------------

WAITING = """\
replies:
  - from: rosoboronexport
    asked: 2021-07-01
    via: email
    deadline: 2021-07-20
    response: none
  - from: rosoboronexport
    asked: 2021-07-02
    via: phone
    response: none
  - from: rosoboronexport
    asked: 2021-06-01
    via: letter
    deadline: 2021-06-05
    response: none
"""


def report_of(site: Path) -> str:
    result = run_build(site, "check", "--report")
    assert result.returncode == 0, result.stderr
    return result.stdout[result.stdout.index("Before publication") :]


def test_check_report_says_what_is_left_before_publication(tmp_path: Path) -> None:
    """Who is named without a request, which requests are open on the day of publication, which dossiers are not
    signed off as they stand; every person and company when the policy names no kinds."""
    files = (
        BASE
        | ACTORS
        | {
            "site.yaml": BASE["site.yaml"] + "published: 2021-07-10\npolicy:\n  review_required: true\n",
            "content/deals/heli.yaml": POLICY_DEAL.partition("replies:\n")[0]
            + WAITING
            + "sources: [moscow-times-2021]\n",
            "content/actors/russia.yaml": BASE["content/actors/russia.yaml"]
            + SIGNED_BY_A_STRANGER.replace("Ana", "Anna"),
        }
    )
    report = report_of(make_site(tmp_path / "site", files))
    sections = re.split(r"\n(?=  \S)", report.strip())
    assert sections[0] == "Before publication, as of 2021-07-10 (site.yaml's `published:` date):"
    assert sections[1].splitlines() == [
        "  Named with no request for comment on record (every person and company: the policy names no kinds) (2):",
        "    content/actors/min-aung-hlaing.yaml:1:1: min-aung-hlaing (person) — named at "
        "content/events/naval-visit.yaml:6:12 (a participant)",
        "    content/actors/ye-win-oo.yaml:1:1: ye-win-oo (person) — named at "
        "content/deals/heli.yaml:11:11 (in a claim)",
    ]
    assert sections[2].splitlines() == [
        "  Requests for comment still open: no answer, and the deadline has not passed (1):",
        "    content/deals/heli.yaml:22:15: heli: rosoboronexport asked on 1 July 2021 by email, deadline 20 July 2021",
    ]
    assert sections[3].splitlines() == [
        "  Requests for comment with no deadline and no answer (1):",
        "    content/deals/heli.yaml:24:5: heli: rosoboronexport asked on 2 July 2021 by phone",
    ]
    assert sections[4].splitlines() == [
        "  Requests for comment past their deadline with no answer: the page says they did not respond (1):",
        "    content/deals/heli.yaml:31:15: heli: rosoboronexport asked on 1 June 2021 by letter, deadline 5 June 2021",
    ]
    assert sections[5].startswith("  Dossiers not signed off (")
    assert "    content/deals/heli.yaml:1:1: heli" in sections[5]
    assert "russia" not in sections[5]
    assert sections[6].splitlines() == [
        "  Dossiers changed since sign-off (1):",
        "    content/actors/russia.yaml:6:5: russia — signed off on 1 July 2021 by Anna Editor",
    ]


def test_check_report_counts_deadlines_to_today_without_a_publication_date(tmp_path: Path) -> None:
    report = report_of(make_site(tmp_path / "site", BASE))
    today = datetime.date.today().isoformat()
    assert report.startswith(f"Before publication, as of {today} (today's date: site.yaml has no `published:`):\n")
    assert "  Sign-off is not in use: site.yaml's policy does not require it, and no dossier is signed\n" in report
