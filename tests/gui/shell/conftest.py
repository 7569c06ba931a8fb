import pytest

from tests.gui.shell.stage_walks import StageWalks, walks_asked_for


@pytest.fixture(scope="session")
def stage_walks(request) -> StageWalks:
    """Every stage walk this session's tests need, running side by side from the first request on."""
    return StageWalks(walks_asked_for(request.session.items))
