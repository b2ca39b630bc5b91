import pytest


@pytest.fixture
def mails(django_capture_on_commit_callbacks):
    """E-mails leave once the transaction commits: `with mails(execute=True): …` sends them."""
    return django_capture_on_commit_callbacks
