"""The words a rep agrees to when sharing progress with a branch (GDPR-01).

Each wording has a version number, stored with every choice. Never edit a
published wording: add a new version. If the new words share more than the
old ones did, raise MINIMUM_ACCEPTED_VERSION too, so that nobody shares
more than they agreed to until they agree again (docs/branches.md).
tests/branches/test_consent_wording.py pins the text of every version.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Wording:
    version: int
    # "{branch}" is replaced by the branch's name.
    question: str
    shared: tuple[str, ...]
    not_shared: tuple[str, ...]
    withdraw: str


WORDINGS = {
    1: Wording(
        version=1,
        question="Share your course progress and certificates with the officers of {branch}",
        shared=(
            "your name as it appears on Knowhow",
            "which courses you have started and completed, and how far through each you are",
            "your certificates, with their dates",
            "the date you last completed a lesson",
        ),
        not_shared=(
            "your email address",
            "your quiz answers and marks",
            "anything you have not started on Knowhow",
        ),
        withdraw=(
            "You can stop sharing at any time from your privacy page. Officers stop seeing "
            "your progress straight away, including in anything they download after that."
        ),
    ),
}

CURRENT_VERSION = max(WORDINGS)
MINIMUM_ACCEPTED_VERSION = 1


def current_wording() -> Wording:
    return WORDINGS[CURRENT_VERSION]
