import pytest

from tests.gui.shell.stage_walks import STASH_KEY, StageWalks


@pytest.fixture(scope="session")
def stage_walks(request) -> StageWalks:
    """The stage walks of this run, started in the background once the tests were collected."""
    return request.config.stash[STASH_KEY]
